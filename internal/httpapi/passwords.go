package httpapi

import (
	"context"
	"net/http"
)

var (
	// SendPasswordReset answers POST /api/users/{userId}/password-reset.
	SendPasswordReset = Action{"SendPasswordReset", sendPasswordReset}
	// ResendInvite answers POST /api/users/{userId}/resend-invite.
	ResendInvite = Action{"ResendInvite", resendInvite}
	// ForgotPassword answers POST /api/auth/forgot-password.
	ForgotPassword = Action{"ForgotPassword", forgotPassword}
	// SetPassword answers POST /api/auth/set-password.
	SetPassword = Action{"SetPassword", setPassword}
)

type messageJSON struct {
	Message string `json:"message"`
}

func sendPasswordReset(s *Services) endpoint {
	return func(ctx context.Context, r *request) (response, error) {
		if err := s.Passwords.SendReset(ctx, r.principal, r.pathParam("userId")); err != nil {
			return response{}, err
		}
		return response{status: http.StatusAccepted, body: messageJSON{"A password-reset link was sent. It works for 15 minutes."}}, nil
	}
}

func resendInvite(s *Services) endpoint {
	return func(ctx context.Context, r *request) (response, error) {
		if err := s.Passwords.ResendInvite(ctx, r.principal, r.pathParam("userId")); err != nil {
			return response{}, err
		}
		return response{status: http.StatusAccepted, body: messageJSON{"A new invite was sent; the previous link no longer works."}}, nil
	}
}

// forgotPasswordMessage is the one answer to every accepted request, whether
// or not the email has an account.
const forgotPasswordMessage = "If an account exists for that email, a link to set a new password is on its way. It works for 15 minutes."

func forgotPassword(s *Services) endpoint {
	return func(ctx context.Context, r *request) (response, error) {
		var in struct {
			Email string `json:"email"`
		}
		if err := decode(r, &in); err != nil {
			return response{}, err
		}
		if err := s.Passwords.ForgotPassword(ctx, in.Email, clientIP(r.event, s.OriginSecret)); err != nil {
			return response{}, err
		}
		return response{status: http.StatusAccepted, body: messageJSON{forgotPasswordMessage}}, nil
	}
}

// passwordSetJSON answers a set password: a person without admin rights
// cannot use the portal and learns at learningUrl.
type passwordSetJSON struct {
	Admin       bool   `json:"admin"`
	LearningURL string `json:"learningUrl"`
}

func setPassword(s *Services) endpoint {
	return func(ctx context.Context, r *request) (response, error) {
		var in struct {
			Token    string `json:"token"`
			Password string `json:"password"`
		}
		if err := decode(r, &in); err != nil {
			return response{}, err
		}
		set, err := s.Passwords.SetPasswordFromLink(ctx, in.Token, in.Password, clientIP(r.event, s.OriginSecret))
		if err != nil {
			return response{}, err
		}
		return response{status: http.StatusOK, body: passwordSetJSON{Admin: set.Admin, LearningURL: set.LearningURL}}, nil
	}
}
