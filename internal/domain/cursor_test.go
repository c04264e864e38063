package domain

import "testing"

func TestCursors(t *testing.T) {
	c := NewCursors([]byte("0123456789abcdef0123456789abcdef"))
	cursor := c.Seal("org-a", "active", `{"pk":"x"}`)
	if got, err := c.Open("org-a", "active", cursor); err != nil || got != `{"pk":"x"}` {
		t.Fatalf("Open(Seal) = %q, %v", got, err)
	}
	tests := []struct {
		name, org, query, cursor string
	}{
		{"another organization", "org-b", "active", cursor},
		{"another query", "org-a", "invited", cursor},
		{"tampered payload", "org-a", "active", "eyJwayI6InkifQ" + cursor[len("eyJwayI6InkifQ"):]},
		{"no signature", "org-a", "active", "eyJwayI6InkifQ"},
		{"another key", "org-a", "active", NewCursors([]byte("another key of thirty-two bytes!")).Seal("org-a", "active", `{"pk":"x"}`)},
	}
	for _, tt := range tests {
		if _, err := c.Open(tt.org, tt.query, tt.cursor); ErrorCode(err) != CodeValidationFailed {
			t.Errorf("%s: Open = %v, want validation_failed", tt.name, err)
		}
	}
	if c.Seal("org-a", "active", "") != "" {
		t.Error("the last page has a next cursor")
	}
	if got, err := c.Open("org-a", "active", ""); got != "" || err != nil {
		t.Errorf("Open(\"\") = %q, %v; want the first page", got, err)
	}
}
