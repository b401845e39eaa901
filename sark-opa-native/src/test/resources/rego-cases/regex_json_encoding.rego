### regex.match
# query: [regex.match("^[a-z]+-[0-9]+$", "build-42"), regex.match("^[a-z]+$", "Build")]
# expect: [true,false]

### regex.find_n, regex.replace and regex.split
# query: [regex.find_n("[0-9]+", "a1b22c333", -1), regex.replace("a-b_c", "[-_]", "."), regex.split(",\\s*", "a, b,c")]
# expect: [["1","22","333"],"a.b.c",["a","b","c"]]

### regex.find_all_string_submatch_n captures groups
# query: regex.find_all_string_submatch_n("([a-z]+)=([0-9]+)", "a=1 b=2", -1)
# expect: [["a=1","a","1"],["b=2","b","2"]]

### an invalid regex is a builtin error: undefined, as in OPA without strict builtin errors
# query: regex.match("(", "x")
# expect: false

### glob.match with path separators
# query: [glob.match("/api/*/users", ["/"], "/api/v1/users"), glob.match("/api/*/users", ["/"], "/api/v1/x/users"), glob.match("/api/**/users", ["/"], "/api/v1/x/users")]
# expect: [true,false,true]

### json.marshal and json.unmarshal round trip
# query: [json.marshal({"b": [1, true], "a": null}), json.unmarshal("{\"x\": [1, 2.5]}")]
# expect: ["{\"a\":null,\"b\":[1,true]}",{"x":[1,2.5]}]

### json.is_valid
# query: [json.is_valid("{\"a\": 1}"), json.is_valid("{a: 1}")]
# expect: [true,false]

### base64, base64url and hex
# query: [base64.encode("hi?>"), base64.decode("aGk/Pg=="), base64url.encode("hi?>"), base64url.decode("aGk_Pg"), hex.encode("ab"), hex.decode("6162")]
# expect: ["aGk/Pg==","hi?>","aGk_Pg==","hi?>","6162","ab"]

### decoding a JWT payload by hand
# query: json.unmarshal(base64url.decode(split(input.token, ".")[1])).sub
# input: {"token": "eyJhbGciOiJub25lIn0.eyJzdWIiOiJhbGljZSIsImFkbWluIjp0cnVlfQ.sig"}
# expect: "alice"
