package dynamo

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"proportal/internal/domain"
)

// CreateOrganization writes the organization, its subscription (with its
// counters set for the first user), its first user and, when not nil, the
// audit entry (the operator tool's; fixtures of tests have none) in one
// transaction.
func (s *Store) CreateOrganization(ctx context.Context, org domain.Organization, sub domain.Subscription, first domain.User, invite *domain.OneTimeToken, audit *domain.AuditEntry) error {
	subItem := toSubscriptionItem(sub)
	subItem.SeatsUsed = b2i(first.Seat)
	subItem.Admins = b2i(first.Admin)
	switch first.Status {
	case domain.StatusActive:
		subItem.Active = 1
	case domain.StatusInvited:
		subItem.Invited = 1
	case domain.StatusInactive:
		subItem.Inactive = 1
	}
	if subItem.SeatsUsed > subItem.SeatsTotal {
		return seatLimitReached()
	}
	orgPut, err := s.putNew(toOrgItem(org))
	if err != nil {
		return err
	}
	subPut, err := s.putNew(subItem)
	if err != nil {
		return err
	}
	exists := func(map[string]types.AttributeValue) error {
		return domain.Errorf(domain.CodeConflict, "The organization exists already.")
	}
	userWrites, err := s.userWrites(domain.UserChange{After: first, PutToken: invite, Audit: audit}, false)
	if err != nil {
		return err
	}
	if err := s.run(ctx, append([]write{{orgPut, exists}, {subPut, exists}}, userWrites...)); err != nil {
		return fmt.Errorf("create organization %s: %w", org.ID, err)
	}
	return nil
}

// FindOrganization returns an organization by id.
func (s *Store) FindOrganization(ctx context.Context, orgID string) (domain.Organization, error) {
	var it orgItem
	if err := s.get(ctx, orgKey(orgID), &it, "organization"); err != nil {
		return domain.Organization{}, err
	}
	return it.toDomain(), nil
}

// FindSubscription returns an organization's subscription.
func (s *Store) FindSubscription(ctx context.Context, orgID string) (domain.Subscription, error) {
	var it subscriptionItem
	if err := s.get(ctx, subscriptionKey(orgID), &it, "subscription"); err != nil {
		return domain.Subscription{}, err
	}
	return it.toDomain(), nil
}
