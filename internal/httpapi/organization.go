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
}

func getOrganization(s *Services) endpoint {
	return func(ctx context.Context, r *request) (response, error) {
		org, err := s.Accounts.Organization(ctx, r.principal)
		if err != nil {
			return response{}, err
		}
		return response{status: http.StatusOK, body: organizationSettingsJSON{ID: org.ID, Name: org.Name, TimeZone: org.Zone()}}, nil
	}
}

type organizationChangeJSON struct {
	TimeZone *string `json:"timeZone"`
}

func updateOrganization(s *Services) endpoint {
	return func(ctx context.Context, r *request) (response, error) {
		var in organizationChangeJSON
		if err := decode(r, &in); err != nil {
			return response{}, err
		}
		org, err := s.Accounts.UpdateOrganization(ctx, r.principal, domain.OrganizationChange{TimeZone: in.TimeZone})
		if err != nil {
			return response{}, err
		}
		return response{status: http.StatusOK, body: organizationSettingsJSON{ID: org.ID, Name: org.Name, TimeZone: org.Zone()}}, nil
	}
}
