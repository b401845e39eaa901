### set union, intersection and difference
# query: [{1, 2} | {2, 3}, {1, 2} & {2, 3}, {1, 2} - {2, 3}]
# expect: [[1,2,3],[2],[1]]

### object.get with default and path
# query: [object.get({"a": {"b": 1}}, ["a", "b"], 0), object.get({"a": 1}, "z", "none")]
# expect: [1,"none"]

### object.union merges recursively, right wins
# query: object.union({"a": 1, "n": {"x": 1}}, {"b": 2, "n": {"y": 2}, "a": 3})
# expect: {"a":3,"b":2,"n":{"x":1,"y":2}}

### object.remove and object.filter
# query: [object.remove({"a": 1, "b": 2, "c": 3}, ["a"]), object.filter({"a": 1, "b": 2, "c": 3}, {"a", "c"})]
# expect: [{"b":2,"c":3},{"a":1,"c":3}]

### object.keys and json.filter
# query: [object.keys({"b": 1, "a": 2}), json.filter({"a": {"b": 1, "c": 2}, "d": 3}, ["a/b", "d"])]
# expect: [["a","b"],{"a":{"b":1},"d":3}]

### array.concat, array.slice and array.reverse
# query: [array.concat([1], [2, 3]), array.slice([1, 2, 3, 4], 1, 3), array.reverse([1, 2, 3])]
# expect: [[1,2,3],[2,3],[3,2,1]]

### sort and count over collections
# query: [sort([3, 1, 2]), count({"a": 1}), count({1, 2, 2}), count("abc")]
# expect: [[1,2,3],1,2,3]

### membership with in
# query: [2 in [1, 2], "k" in {"k": 1}, 1 in {"k": 1}, "x" in {"y"}]
# expect: [true,false,true,false]

### type_name and type checks
# query: [type_name(null), type_name(1), type_name("s"), type_name([]), type_name({}), type_name(set()), is_boolean(false)]
# expect: ["null","number","string","array","object","set",true]

### equality of nested values ignores object key order
# query: {"a": [1, {"b": 2}], "c": null} == {"c": null, "a": [1, {"b": 2}]}
# expect: true

### walk visits every path
# query: [p | walk({"a": [1]}, [p, v]); is_number(v)]
# expect: [["a",0]]

### graph.reachable follows edges
# query: graph.reachable({"admin": ["editor"], "editor": ["viewer"], "viewer": []}, ["admin"])
# expect: ["admin","editor","viewer"]
