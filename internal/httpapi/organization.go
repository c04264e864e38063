package httpapi

import (
	"context"
	"net/http"

	"proportal/internal/domain"
)

var (
	// GetOrganization answers GET /api/organization.
	GetOrganization = Action{"GetOrganization", getOrganization}
	// UpdateOrganization answers PATCH /api/organization.
	UpdateOrganization = Action{"UpdateOrganization", updateOrganization}
)

// organizationSettingsJSON is the organization with its settings.
type organizationSettingsJSON struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// TimeZone is an IANA name; due dates are days there.
	TimeZone string `json:"timeZone"`
	// Reminders says whether people get due-date reminders and admins the
	// weekly digest of overdue assignments (default true).
	Reminders bool `json:"reminders"`
}

func organizationSettings(org domain.Organization) organizationSettingsJSON {
	return organizationSettingsJSON{ID: org.ID, Name: org.Name, TimeZone: org.Zone(), Reminders: org.Reminders()}
}

func getOrganization(s *Services) endpoint {
	return func(ctx context.Context, r *request) (response, error) {
		org, err := s.Accounts.Organization(ctx, r.principal)
		if err != nil {
			return response{}, err
		}
		return response{status: http.StatusOK, body: organizationSettings(org)}, nil
	}
}

type organizationChangeJSON struct {
	TimeZone  *string `json:"timeZone"`
	Reminders *bool   `json:"reminders"`
}

func updateOrganization(s *Services) endpoint {
	return func(ctx context.Context, r *request) (response, error) {
		var in organizationChangeJSON
		if err := decode(r, &in); err != nil {
			return response{}, err
		}
		org, err := s.Accounts.UpdateOrganization(ctx, r.principal, domain.OrganizationChange{TimeZone: in.TimeZone, Reminders: in.Reminders})
		if err != nil {
			return response{}, err
		}
		return response{status: http.StatusOK, body: organizationSettings(org)}, nil
	}
}
