package authz
import rego.v1
default allow := false
allow if input.user.role == "admin"
allow if {
  some role in data.user_roles[input.user.name]
  some grant in data.role_grants[role]
  grant.action == input.action
  grant.resource == input.resource
}
