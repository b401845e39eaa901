### array comprehension keeps order and duplicates
# query: data.t.doubled
# input: {"xs": [3, 1, 3]}
# expect: [6,2,6]
package t
doubled := [y | some x in input.xs; y := x * 2]

### set comprehension removes duplicates and sorts
# query: data.t.unique
# input: {"xs": [3, 1, 3]}
# expect: [1,3]
package t
unique := {x | some x in input.xs}

### object comprehension builds a map
# query: data.t.by_id
# input: {"users": [{"id": "b", "age": 2}, {"id": "a", "age": 1}]}
# expect: {"a":1,"b":2}
package t
by_id := {u.id: u.age | some u in input.users}

### comprehension with a condition filters
# query: data.t.adults
# input: {"users": [{"name": "ann", "age": 30}, {"name": "bob", "age": 12}]}
# expect: ["ann"]
package t
adults := [u.name | some u in input.users; u.age >= 18]

### empty comprehension is an empty collection, not undefined
# query: data.t.none
# input: {"xs": [1, 2]}
# expect: []
package t
none := [x | some x in input.xs; x > 10]

### nested comprehension
# query: data.t.pairs
# expect: [[1,"a"],[1,"b"],[2,"a"],[2,"b"]]
package t
pairs := [[n, s] | some n in [1, 2]; some s in ["a", "b"]]

### comprehension in a query
# query: {k | some k, _ in input}
# input: {"b": 1, "a": 2}
# expect: ["a","b"]
