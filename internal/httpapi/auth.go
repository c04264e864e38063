package httpapi

import (
	"context"
	"net/http"
	"time"

	"proportal/internal/domain"
)

var (
	// Login answers POST /api/auth/login.
	Login = Action{"Login", login}
	// Logout answers POST /api/auth/logout.
	Logout = Action{"Logout", logout}
)

type loginJSON struct {
	Token     string    `json:"token"`
	ExpiresAt time.Time `json:"expiresAt"`
	User      userJSON  `json:"user"`
}

func login(s *Services) endpoint {
	return func(ctx context.Context, r *request) (response, error) {
		var in struct {
			Email    string `json:"email"`
			Password string `json:"password"`
		}
		if err := decode(r, &in); err != nil {
			return response{}, err
		}
		l, err := s.Auth.Login(ctx, domain.Credentials{Email: in.Email, Password: in.Password, Source: clientIP(r.event, s.OriginSecret)})
		if err != nil {
			return response{}, err
		}
		return response{
			status:  http.StatusOK,
			body:    loginJSON{Token: l.Token, ExpiresAt: l.ExpiresAt.UTC(), User: toUserJSON(l.User)},
			cookies: []string{s.sessionCookie(l.Token, time.Until(l.ExpiresAt))},
		}, nil
	}
}

// logout ends the presented session, if any, and clears the cookie: signing
// out twice is not an error.
func logout(s *Services) endpoint {
	return func(ctx context.Context, r *request) (response, error) {
		if err := s.Auth.Logout(ctx, r.token); err != nil {
			return response{}, err
		}
		return response{status: http.StatusNoContent, cookies: []string{s.sessionCookie("", 0)}}, nil
	}
}

// sessionCookie sets (or, with maxAge 0, clears) the session cookie.
func (s *Services) sessionCookie(token string, maxAge time.Duration) string {
	c := &http.Cookie{
		Name: SessionCookie, Value: token, Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode,
		Secure: s.SecureCookies, MaxAge: int(maxAge.Seconds()),
	}
	if maxAge <= 0 {
		c.MaxAge = -1
	}
	return c.String()
}
