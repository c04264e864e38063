package httpapi_test

import (
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestRemindersSwitch: reminders are on until an admin turns them off, and
// the switch and the time zone change apart.
func TestRemindersSwitch(t *testing.T) {
	t.Parallel()
	f := newAssignFixture(t, nil, 1)
	type settings struct {
		TimeZone  string `json:"timeZone"`
		Reminders bool   `json:"reminders"`
	}
	steps := []struct {
		method, body string
		want         settings
	}{
		{"GET", "", settings{"UTC", true}},
		{"PATCH", `{"reminders":false}`, settings{"UTC", false}},
		{"GET", "", settings{"UTC", false}},
		{"PATCH", `{"timeZone":"Europe/Berlin"}`, settings{"Europe/Berlin", false}},
		{"PATCH", `{"reminders":true}`, settings{"Europe/Berlin", true}},
		{"PATCH", `{"reminders":null}`, settings{"Europe/Berlin", true}},
	}
	for _, s := range steps {
		status, body := f.do(t, s.method, "/api/organization", s.body)
		if status != http.StatusOK {
			t.Fatalf("%s %s: %d %s", s.method, s.body, status, body)
		}
		if diff := cmp.Diff(s.want, decodeAs[settings](t, body)); diff != "" {
			t.Errorf("%s %s (-want +got):\n%s", s.method, s.body, diff)
		}
	}
}
