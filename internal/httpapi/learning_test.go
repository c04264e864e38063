package httpapi_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"proportal/internal/app"
	"proportal/internal/domain"
)

// The set-password answer tells the page whether the portal is the person's
// (admin rights) and where the learning platform is, for everyone else.
func TestSetPasswordSaysWhereLearnersGo(t *testing.T) {
	t.Parallel()
	a, _, ten := tenantApp(t, nil)
	lea := addUser(t, a, ten.org.ID, "Lea", "Learner", domain.StatusActive)
	res := call(t, a, "POST", "/api/auth/forgot-password", `{"email":"`+lea.Email+`"}`, nil)
	if res.StatusCode != http.StatusAccepted {
		t.Fatalf("forgot-password: %d %s", res.StatusCode, res.Body)
	}
	res = call(t, a, "POST", "/api/auth/set-password", `{"token":"`+linkTo(t, lea.Email)+`","password":"a long and unusual passphrase"}`, nil)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("set-password: %d %s, want 200", res.StatusCode, res.Body)
	}
	var got struct {
		Admin       *bool  `json:"admin"`
		LearningURL string `json:"learningUrl"`
	}
	if err := json.Unmarshal([]byte(res.Body), &got); err != nil || got.Admin == nil {
		t.Fatalf("set-password answer %s: %v", res.Body, err)
	}
	if *got.Admin || got.LearningURL != app.DefaultLearningURL {
		t.Errorf("set-password answer %s, want admin false and learningUrl %s", res.Body, app.DefaultLearningURL)
	}
}
