// Package domain holds ProPortal's types, validation rules, error codes and the
// services that implement every action. It imports no AWS package: the store,
// mailer and file adapters implement the small interfaces declared here.
package domain

import (
	"errors"
	"fmt"
)

// Error codes a client can see. The HTTP edge maps each one to a status in one place.
const (
	CodeInvalidJSON        = "invalid_json"
	CodeValidationFailed   = "validation_failed"
	CodeInvalidCredentials = "invalid_credentials"
	CodeUnauthorized       = "unauthorized"
	CodeForbidden          = "forbidden"
	CodeNotFound           = "not_found"
	CodeMethodNotAllowed   = "method_not_allowed"
	CodeSeatLimitReached   = "seat_limit_reached"
	CodeEmailInUse         = "email_in_use"
	CodeLastAdmin          = "last_admin"
	CodeConflict           = "conflict"
	CodeInvalidToken       = "invalid_token"
	CodeTokenExpired       = "token_expired"
	CodePayloadTooLarge    = "payload_too_large"
	CodeUnsupportedMedia   = "unsupported_media_type"
	CodeRateLimited        = "rate_limited"
	CodeMailFailed         = "mail_failed"
	CodeUnavailable        = "unavailable"
	CodeInternal           = "internal"
)

// Error is the one error type that carries a client-visible code. Any error
// that is not (or does not wrap) an *Error is internal: its text never reaches
// a client.
type Error struct {
	Code    string
	Message string
	// Fields names the input fields at fault, with a message for each.
	Fields map[string]string
}

func (e *Error) Error() string {
	if len(e.Fields) > 0 {
		return fmt.Sprintf("%s: %s %v", e.Code, e.Message, e.Fields)
	}
	return e.Code + ": " + e.Message
}

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the *Error in err's chain, or CodeInternal.
func ErrorCode(err error) string {
	if e, ok := errors.AsType[*Error](err); ok {
		return e.Code
	}
	return CodeInternal
}

// Problems collects validation failures by field name.
type Problems map[string]string

// Add records a problem with field unless one is already recorded for it.
func (p Problems) Add(field, message string) {
	if _, ok := p[field]; !ok {
		p[field] = message
	}
}

// Err returns a validation_failed *Error listing the problems, or nil when there are none.
func (p Problems) Err() error {
	if len(p) == 0 {
		return nil
	}
	return &Error{Code: CodeValidationFailed, Message: "Some fields are missing or invalid.", Fields: p}
}

// NotFound returns the not_found error for a kind of thing ("user", "team", ...).
func NotFound(kind string) *Error {
	return Errorf(CodeNotFound, "%s not found", kind)
}
