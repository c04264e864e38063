package domain_test

import (
	"context"
	"strings"
	"testing"
)

// A reset mail's link tells the page it is a reset (so it says "Choose a new
// password"); the token stays in the fragment. An invite's link does not.
func TestResetLinksSayTheyAreResets(t *testing.T) {
	t.Parallel()
	e, admin := newSeats(t, 5)
	ctx := context.Background()
	lea := e.add(t, person(e.org.ID, "Lea", "Learner", "active"))
	if err := e.passwords().SendReset(ctx, admin, lea.ID); err != nil {
		t.Fatalf("SendReset: %v", err)
	}
	m := mailTo(t, lea.Email, 1)[0]
	token := linkIn(t, m)
	want := "/set-password#token=" + token + "&purpose=reset"
	if !strings.Contains(m.Text, want) || !strings.Contains(m.HTML, "/set-password#token="+token+"&amp;purpose=reset") {
		t.Errorf("reset mail does not link %s:\n%s", want, m.Text)
	}
}
