### function with one argument
# query: data.t.r
# expect: 9
package t
square(x) := x * x
r := square(3)

### function with several definitions acts like pattern matching
# query: [data.t.kind(1), data.t.kind("a"), data.t.kind([])]
# expect: ["number","string","other"]
package t
kind(x) := "number" if is_number(x)
kind(x) := "string" if is_string(x)
kind(x) := "other" if { not is_number(x); not is_string(x) }

### function that is undefined for some inputs
# query: data.t.r
# expect: ["b"]
package t
only_b(x) := x if x == "b"
r := [y | some x in ["a", "b"]; y := only_b(x)]

### boolean function used as a condition
# query: data.t.allow
# input: {"user": {"roles": ["admin"]}}
# expect: true
package t
is_admin(user) if "admin" in user.roles
allow if is_admin(input.user)

### function calling another function in another package
# query: data.app.greeting
# expect: "hello, ANN"
package app
greeting := data.lib.greet("ann")
----
package lib
greet(name) := sprintf("hello, %s", [upper(name)])

### function called through an import alias
# query: data.app.greeting
# expect: "hi ann"
package app
import data.lib
greeting := lib.greet("ann")
----
package lib
greet(name) := concat(" ", ["hi", name])

### rule read through an import
# query: data.app.allowed
# input: {"user": "ann"}
# expect: true
package app
import data.lib
import data.lib.admins as admin_set
allowed if {
  input.user in lib.admins
  input.user in admin_set
}
----
package lib
admins := {"ann", "bob"}
