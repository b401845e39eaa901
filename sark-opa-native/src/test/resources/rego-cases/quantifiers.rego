### some in with key and value
# query: data.t.keys_of_big
# input: {"sizes": {"s": 1, "m": 5, "l": 9}}
# expect: ["l","m"]
package t
keys_of_big contains k if {
  some k, v in input.sizes
  v > 3
}

### every is true when all elements match
# query: data.t.all_positive
# input: {"xs": [1, 2, 3]}
# expect: true
package t
all_positive if every x in input.xs { x > 0 }

### every is false when one element fails
# query: data.t.all_positive
# input: {"xs": [1, -2, 3]}
# expect: false
package t
default all_positive := false
all_positive if every x in input.xs { x > 0 }

### every over an empty collection is true
# query: data.t.vacuous
# input: {"xs": []}
# expect: true
package t
vacuous if every x in input.xs { x > 100 }

### every with key and value over an object
# query: data.t.ok
# input: {"limits": {"cpu": 2, "mem": 4}}
# expect: true
package t
ok if every k, v in input.limits { v >= count(k) - 1 }

### iteration with a wildcard over an array
# query: data.t.has_admin
# input: {"roles": ["dev", "admin"]}
# expect: true
package t
has_admin if input.roles[_] == "admin"

### not negates an undefined expression
# query: data.t.not_banned
# input: {"user": "ann", "banned": ["bob"]}
# expect: true
package t
not_banned if not input.user in input.banned
