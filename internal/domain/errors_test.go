package domain

import (
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestErrorCode(t *testing.T) {
	notFound := NotFound("user")
	tests := []struct {
		name string
		give error
		want string
	}{
		{"coded error", notFound, CodeNotFound},
		{"wrapped once", fmt.Errorf("find user u1: %w", notFound), CodeNotFound},
		{"wrapped twice", fmt.Errorf("activate: %w", fmt.Errorf("find user u1: %w", notFound)), CodeNotFound},
		{"joined", errors.Join(errors.New("other"), Errorf(CodeSeatLimitReached, "full")), CodeSeatLimitReached},
		{"validation problems", Problems{"email": "is required"}.Err(), CodeValidationFailed},
		{"plain error", errors.New("connection reset"), CodeInternal},
		{"formatted with %v loses the code", fmt.Errorf("find: %v", notFound), CodeInternal},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ErrorCode(tt.give); got != tt.want {
				t.Errorf("ErrorCode(%v) = %q, want %q", tt.give, got, tt.want)
			}
		})
	}
}

func TestProblemsErrIsNilWhenEmpty(t *testing.T) {
	for name, p := range map[string]Problems{"nil": nil, "empty": {}} {
		if err := p.Err(); err != nil {
			t.Errorf("%s Problems: Err() = %v, want nil", name, err)
		}
	}
}

func TestProblemsErrListsFields(t *testing.T) {
	p := Problems{}
	p.Add("email", "is required")
	p.Add("email", "second message is ignored")
	p.Add("password", "is required")

	e, ok := errors.AsType[*Error](p.Err())
	if !ok {
		t.Fatalf("Err() = %v, want an *Error", p.Err())
	}
	want := &Error{
		Code:    CodeValidationFailed,
		Message: "Some fields are missing or invalid.",
		Fields:  map[string]string{"email": "is required", "password": "is required"},
	}
	if diff := cmp.Diff(want, e); diff != "" {
		t.Errorf("Err() mismatch (-want +got):\n%s", diff)
	}
}

func TestErrorMessage(t *testing.T) {
	tests := []struct {
		name string
		give *Error
		want string
	}{
		{"without fields", Errorf(CodeNotFound, "%s not found", "team"), "not_found: team not found"},
		{"with fields", &Error{Code: CodeValidationFailed, Message: "Bad.", Fields: map[string]string{"email": "is required"}},
			"validation_failed: Bad. map[email:is required]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.give.Error(); got != tt.want {
				t.Errorf("Error() = %q, want %q", got, tt.want)
			}
		})
	}
}
