package httpapi_test

import (
	"maps"
	"net/http"
	"testing"
)

// Activity reads at scale: a user's activity and a team's make the same
// DynamoDB calls in an organization of 100 users and in one of 10,000.

func userActivity(o *bigOrg) func(testing.TB) action {
	return func(testing.TB) action {
		// The user has an assignment: their activity lists it.
		return action{method: "GET", path: "/api/users/" + o.assignment.UserIDs[0] + "/activity", want: http.StatusOK}
	}
}

func teamActivity(o *bigOrg) func(testing.TB) action {
	return func(testing.TB) action {
		return action{method: "GET", path: "/api/teams/" + o.teams[0] + "/activity", want: http.StatusOK, oneQuery: true}
	}
}

// BenchmarkActivityReads makes each activity read in an organization of 100
// users and in the shared one of 10,000, and fails unless both make the same
// DynamoDB calls.
func BenchmarkActivityReads(b *testing.B) {
	large := sharedOrg(b)
	smallOrgOnce.Do(func() { smallOrg = newBigOrg(keepTable{b}, 100, 200) })
	reads := []struct {
		name string
		make func(*bigOrg) func(testing.TB) action
	}{
		{"GetUserActivity", userActivity}, {"GetTeamActivity", teamActivity},
	}
	for _, r := range reads {
		b.Run(r.name, func(b *testing.B) {
			small := smallOrg.do(b, r.make(smallOrg)(b))
			got := large.do(b, r.make(large)(b))
			if !maps.Equal(small, got) {
				b.Fatalf("%s: 100 users made %v, 10,000 made %v", r.name, small, got)
			}
			b.Logf("%s: %v at 100 and at 10,000 users", r.name, got)
			large.bench(b, r.make(large))
		})
	}
}
