### partial set rule collects every match
# query: data.t.deny
# input: {"user": {"name": "", "age": 12}}
# expect: ["missing name","too young"]
package t
deny contains "missing name" if input.user.name == ""
deny contains "too young" if input.user.age < 18

### partial set rule with no match is an empty set
# query: data.t.deny
# input: {"user": {"name": "ann", "age": 30}}
# expect: []
package t
deny contains "missing name" if input.user.name == ""

### partial object rule
# query: data.t.owners
# input: {"files": [{"path": "/a", "owner": "ann"}, {"path": "/b", "owner": "bob"}]}
# expect: {"/a":"ann","/b":"bob"}
package t
owners[f.path] := f.owner if some f in input.files

### reading one key of a partial object rule
# query: data.t.owners["/b"]
# input: {"files": [{"path": "/a", "owner": "ann"}, {"path": "/b", "owner": "bob"}]}
# expect: "bob"
package t
owners[f.path] := f.owner if some f in input.files

### rule with a ref head
# query: data.t.limits
# expect: {"cpu":{"max":4},"mem":{"max":8}}
package t
limits.cpu.max := 4
limits.mem.max := 8

### a package is an object of its rules
# query: data.t
# input: {"n": 2}
# expect: {"double":4,"is_even":true}
package t
double := input.n * 2
is_even if input.n % 2 == 0
