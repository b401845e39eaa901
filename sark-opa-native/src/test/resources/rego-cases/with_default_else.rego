### with replaces input for one expression
# query: data.t.r
# input: {"user": "bob"}
# expect: ["alice","bob"]
package t
who := input.user
r := [a, b] if {
  a := who with input.user as "alice"
  b := who
}

### with replaces data
# query: data.t.limit
# data: {"config": {"limit": 5}}
# expect: 70
package t
base := data.config.limit
limit := x if x := base * 10 with data.config.limit as 7

### with replaces a function
# query: data.t.r
# expect: "mocked"
package t
real(x) := "real"
mock(x) := "mocked"
f(x) := real(x)
r := y if y := f(1) with real as mock

### default applies when no rule body matches
# query: data.t.level
# input: {"score": 10}
# expect: "low"
package t
default level := "low"
level := "high" if input.score > 50

### default without input
# query: data.t.allow
# expect: false
package t
default allow := false
allow if input.user == "admin"

### else chain picks the first matching body
# query: data.t.results
# expect: ["A","B","F"]
package t
results := [a, b, c] if {
  a := grade with input as {"score": 95}
  b := grade with input as {"score": 75}
  c := grade with input as {"score": 10}
}
grade := "A" if {
  input.score >= 90
} else := "B" if {
  input.score >= 70
} else := "F"

### conflicting complete rule values are an evaluation error
# query: data.t.x
# input: {"a": 1, "b": 2}
# error: PolicyEvaluationException
package t
x := input.a
x := input.b
