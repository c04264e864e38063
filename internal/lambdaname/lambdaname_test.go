package lambdaname

import "testing"

func TestDir(t *testing.T) {
	tests := []struct{ give, want string }{
		{"GetMe", "get-me"}, {"Health", "health"}, {"GetUserActivity", "get-user-activity"},
		{"SweepExpired", "sweep-expired"}, {"Get2FA", "get2-fa"},
	}
	for _, tt := range tests {
		if got := Dir(tt.give); got != tt.want {
			t.Errorf("Dir(%q) = %q, want %q", tt.give, got, tt.want)
		}
	}
}

func TestFunctionID(t *testing.T) {
	if got := FunctionID("GetMe"); got != "GetMeFunction" {
		t.Errorf("FunctionID = %q", got)
	}
}
