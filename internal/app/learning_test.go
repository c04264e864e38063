package app_test

import (
	"testing"

	"proportal/internal/app"
)

// LEARNING_URL sets the learning platform; without it the default holds, and
// an address that is not http(s) is refused.
func TestLearningURLFromTheEnvironment(t *testing.T) {
	t.Setenv("TABLE_NAME", "t")
	t.Setenv("LEARNING_URL", "")
	cfg, err := app.LoadConfig()
	if err != nil || cfg.LearningURL != app.DefaultLearningURL {
		t.Errorf("without LEARNING_URL: %q, %v; want %q", cfg.LearningURL, err, app.DefaultLearningURL)
	}
	t.Setenv("LEARNING_URL", "https://learn.example.com/start")
	if cfg, err := app.LoadConfig(); err != nil || cfg.LearningURL != "https://learn.example.com/start" {
		t.Errorf("LEARNING_URL set: %q, %v", cfg.LearningURL, err)
	}
	t.Setenv("LEARNING_URL", "javascript:alert(1)")
	if _, err := app.LoadConfig(); err == nil {
		t.Errorf("LEARNING_URL javascript: accepted")
	}
}
