package authz

import rego.v1

# ABAC with a data document: users (department, clearance), resources (owner, department,
# classification, type, legal hold), classification levels, department grants. No time builtins.

default allow := false

allow if {
	not deny
	owner_access
}

allow if {
	not deny
	department_access
}

allow if {
	not deny
	clearance_access
}

deny if input.subject.id in data.suspended_users

deny if {
	resource.legal_hold
	input.action in {"write", "delete"}
}

user := data.users[input.subject.id]

resource := data.resources[input.resource.id]

owner_access if {
	input.action in {"read", "write", "delete"}
	resource.owner == input.subject.id
}

department_access if {
	input.action == "read"
	resource.classification in {"public", "internal"}
	user.department == resource.department
}

clearance_access if {
	input.action in {"read", "write"}
	data.levels[user.clearance] >= data.levels[resource.classification]
	some grant in data.grants
	grant.department == user.department
	grant.resource_type == resource.type
	input.action in grant.actions
	every tag in grant.required_tags {
		tag in input.subject.groups
	}
}
