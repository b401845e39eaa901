### concat and split
# query: [concat("-", ["a", "b", "c"]), split("a,b,,c", ",")]
# expect: ["a-b-c",["a","b","","c"]]

### sprintf formats numbers, strings and values
# query: sprintf("%s has %d items: %v", ["cart", 3, [1, "x"]])
# expect: "cart has 3 items: [1, \"x\"]"

### sprintf precision
# query: sprintf("%.2f", [9.5])
# expect: "9.50"

### prefix, suffix and containment
# query: [startswith("/api/v1", "/api"), endswith("file.rego", ".json"), contains("hello", "ell")]
# expect: [true,false,true]

### replace, trim and case
# query: [replace("a.b.c", ".", "/"), trim("  x  ", " "), trim_space("\t y \n"), lower("ÄBC"), upper("abc")]
# expect: ["a/b/c","x","y","äbc","ABC"]

### substring and indexof count characters, not bytes
# query: [substring("héllo wörld", 6, 5), indexof("héllo", "l"), indexof("abc", "z")]
# expect: ["wörld",2,-1]

### trim_prefix, trim_suffix and strings.replace_n
# query: [trim_prefix("Bearer abc", "Bearer "), trim_suffix("a.json", ".json"), strings.replace_n({"a": "1", "b": "2"}, "a-b")]
# expect: ["abc","a","1-2"]

### format_int and to_number
# query: [format_int(255, 16), format_int(8, 2), to_number("42"), to_number("1.5")]
# expect: ["ff","1000",42,1.5]

### strings.reverse and strings.count
# query: [strings.reverse("abc"), strings.count("banana", "a")]
# expect: ["cba",3]

### string comparison is by code point
# query: ["a" < "b", "B" < "a", "abc" < "abd", "é" > "z"]
# expect: [true,true,true,true]
