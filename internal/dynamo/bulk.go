package dynamo

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"proportal/internal/domain"
)

// ImportUsers loads many new users into an organization: for seeding large
// organizations in benchmarks and load tests, and for an operator's bulk
// import. It is not for request paths, and it is not atomic: unlike
// CreateUser it writes no invite links and no tokens, and a failure part way
// leaves some users written and others not.
//
// It refuses the whole import, writing nothing, when a user is malformed
// (validation_failed), names a team the organization does not have
// (not_found), has an email address that already has an account or appears
// twice (email_in_use), or when the seats the users hold would exceed the
// subscription's (seat_limit_reached). Then it adds the users' seats, admins
// and statuses to the subscription's counters in one conditional update, so
// seats used can never pass seats total even if the import is interrupted
// (the counters then count users that were not written), and last writes each
// user's item, email item, search entries and team entries with
// BatchWriteItem. Users must be new: ids are not checked and an existing user
// with the same id is overwritten. The import's one audit entry is written
// in the same transaction as the counters (import.applied, with the seats
// the users take).
func (s *Store) ImportUsers(ctx context.Context, orgID string, users []domain.User, audit domain.AuditEntry) error {
	if len(users) == 0 {
		return nil
	}
	users, deltas, err := prepareImport(orgID, users)
	if err != nil {
		return err
	}
	sub, err := s.FindSubscription(ctx, orgID)
	if err != nil {
		return fmt.Errorf("import users: %w", err)
	}
	if sub.SeatsUsed+deltas["seatsUsed"] > sub.SeatsTotal {
		return domain.Errorf(domain.CodeSeatLimitReached, "The users hold %d seats, but only %d of %d are free.",
			deltas["seatsUsed"], sub.SeatsAvailable(), sub.SeatsTotal)
	}
	if err := s.checkTeams(ctx, orgID, users); err != nil {
		return err
	}
	if err := s.checkEmailsFree(ctx, users); err != nil {
		return err
	}
	if err := s.addImportCounters(ctx, orgID, sub.SeatsTotal, deltas, audit); err != nil {
		return err
	}
	if err := s.addImportTeamCounters(ctx, orgID, users); err != nil {
		return err
	}

	var requests []types.WriteRequest
	for _, u := range users {
		items := []any{toUserItem(u), toEmailItem(u)}
		for _, it := range toSearchItems(u) {
			items = append(items, it)
		}
		for _, team := range u.TeamIDs {
			items = append(items, toMemberItem(u, team))
		}
		for _, it := range items {
			av, err := attributevalue.MarshalMap(it)
			if err != nil {
				return fmt.Errorf("import users: encode item: %w", err)
			}
			requests = append(requests, types.WriteRequest{PutRequest: &types.PutRequest{Item: av}})
		}
	}
	if err := s.writeAll(ctx, requests); err != nil {
		return fmt.Errorf("import users: %w", err)
	}
	return nil
}

// prepareImport checks the users and fills in what CreateUser would have:
// the organization and the first revision. It returns the counter deltas.
func prepareImport(orgID string, in []domain.User) ([]domain.User, map[string]int, error) {
	users := slices.Clone(in)
	probs := domain.Problems{}
	ids := make(map[string]bool, len(users))
	emails := make(map[string]bool, len(users))
	deltas := map[string]int{}
	for i := range users {
		u := &users[i]
		field := func(name string) string { return fmt.Sprintf("users[%d].%s", i, name) }
		if u.OrgID == "" {
			u.OrgID = orgID
		}
		if u.Revision == 0 {
			u.Revision = 1
		}
		switch {
		case u.OrgID != orgID:
			probs.Add(field("orgId"), "is another organization")
		case !domain.ValidID(u.ID):
			probs.Add(field("id"), "is not an id")
		case ids[u.ID]:
			probs.Add(field("id"), "appears twice")
		}
		ids[u.ID] = true
		if email, ok := domain.NormalizeEmail(u.Email); !ok || email != u.Email {
			probs.Add(field("email"), "must be a normalized email address")
		} else if emails[u.Email] {
			return nil, nil, domain.Errorf(domain.CodeEmailInUse, "%s appears twice in the import.", u.Email)
		}
		emails[u.Email] = true
		// The status the seat and admin rights allow (see domain.User's settle).
		switch {
		case u.Status != domain.StatusActive && u.Status != domain.StatusInvited && u.Status != domain.StatusInactive:
			probs.Add(field("status"), "must be active, invited or inactive")
		case (u.Status == domain.StatusInactive) != (!u.Seat && !u.Admin):
			probs.Add(field("status"), "is inactive exactly when the user has neither a seat nor admin rights")
		case u.Status == domain.StatusActive && u.PasswordHash == "":
			probs.Add(field("status"), "is active only with a password")
		}
		seen := map[string]bool{}
		for _, team := range u.TeamIDs {
			if !domain.ValidID(team) || seen[team] {
				probs.Add(field("teamIds"), "must be distinct team ids")
			}
			seen[team] = true
		}
		deltas[u.Status]++
		deltas["seatsUsed"] += b2i(u.Seat)
		deltas["admins"] += b2i(u.Admin)
	}
	if err := probs.Err(); err != nil {
		return nil, nil, err
	}
	return users, deltas, nil
}

// checkTeams refuses users in teams the organization does not have.
func (s *Store) checkTeams(ctx context.Context, orgID string, users []domain.User) error {
	if !slices.ContainsFunc(users, func(u domain.User) bool { return len(u.TeamIDs) > 0 }) {
		return nil
	}
	teams, err := s.FindTeams(ctx, orgID)
	if err != nil {
		return fmt.Errorf("import users: %w", err)
	}
	known := make(map[string]bool, len(teams))
	for _, t := range teams {
		known[t.ID] = true
	}
	for _, u := range users {
		for _, team := range u.TeamIDs {
			if !known[team] {
				return fmt.Errorf("import users: user %s: %w", u.Email, domain.NotFound("team"))
			}
		}
	}
	return nil
}

// checkEmailsFree refuses addresses that already have an account: the batch
// writes that follow cannot be conditional, and an email item overwritten
// would take an address from another user.
func (s *Store) checkEmailsFree(ctx context.Context, users []domain.User) error {
	byKey := make(map[string]string, len(users))
	for _, u := range users {
		byKey[emailKey(u.Email).PK] = u.Email
	}
	var mu sync.Mutex
	var taken []string
	err := inBatches(ctx, len(users), batchGetSize, func(ctx context.Context, lo, hi int) error {
		keys := make([]map[string]types.AttributeValue, 0, hi-lo)
		for _, u := range users[lo:hi] {
			k, err := marshalKey(emailKey(u.Email))
			if err != nil {
				return err
			}
			keys = append(keys, k)
		}
		found, err := s.batchGet(ctx, keys)
		if err != nil {
			return err
		}
		mu.Lock()
		defer mu.Unlock()
		for _, av := range found {
			var k key
			if err := attributevalue.UnmarshalMap(av, &k); err != nil {
				return fmt.Errorf("decode email: %w", err)
			}
			taken = append(taken, byKey[k.PK])
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("import users: check emails: %w", err)
	}
	if len(taken) > 0 {
		slices.Sort(taken)
		return domain.Errorf(domain.CodeEmailInUse, "%d of the addresses already have an account, among them %s.", len(taken), taken[0])
	}
	return nil
}

// addImportCounters adds the imported users to the subscription's counters,
// on condition that the seats total is still the one read and leaves room,
// with the import's audit entry, in one transaction.
func (s *Store) addImportCounters(ctx context.Context, orgID string, seatsTotal int, deltas map[string]int, audit domain.AuditEntry) error {
	var update expression.UpdateBuilder
	for _, name := range []string{"seatsUsed", "admins", domain.StatusActive, domain.StatusInvited, domain.StatusInactive} {
		if d := deltas[name]; d != 0 {
			update = update.Add(expression.Name(name), expression.Value(d))
		}
	}
	// DynamoDB conditions have no arithmetic: seatsUsed + added <= total is
	// written as seatsUsed <= total - added, with the total pinned.
	cond := expression.Name("seatsTotal").Equal(expression.Value(seatsTotal)).
		And(expression.Name("seatsUsed").LessThanEqual(expression.Value(seatsTotal - deltas["seatsUsed"])))
	counters, err := s.update(subscriptionKey(orgID), update, cond)
	if err != nil {
		return err
	}
	entry, err := s.auditWrite(audit)
	if err != nil {
		return err
	}
	err = s.run(ctx, []write{{counters, func(map[string]types.AttributeValue) error {
		return domain.Errorf(domain.CodeSeatLimitReached, "The seats changed while the import was checked; there are not enough free seats now.")
	}}, entry})
	if err != nil {
		return fmt.Errorf("import users: count users: %w", err)
	}
	return nil
}

// addImportTeamCounters adds the imported users to their teams' member
// counts: one UpdateItem per team.
func (s *Store) addImportTeamCounters(ctx context.Context, orgID string, users []domain.User) error {
	byTeam := map[string]map[string]int{}
	var teams []string
	for _, u := range users {
		for _, team := range u.TeamIDs {
			if byTeam[team] == nil {
				byTeam[team] = map[string]int{}
				teams = append(teams, team)
			}
			byTeam[team][u.Status]++
		}
	}
	for _, team := range teams {
		var update expression.UpdateBuilder
		for _, status := range []string{domain.StatusActive, domain.StatusInvited, domain.StatusInactive} {
			update = update.Add(expression.Name(status), expression.Value(byTeam[team][status]))
		}
		if err := s.updateOne(ctx, teamKey(orgID, team), update, expression.AttributeExists(expression.Name(attrPK))); err != nil {
			return fmt.Errorf("import users: count team %s: %w", team, err)
		}
	}
	return nil
}

// updateOne updates one item on a condition, outside a transaction.
func (s *Store) updateOne(ctx context.Context, k key, update expression.UpdateBuilder, cond expression.ConditionBuilder) error {
	w, err := s.update(k, update, cond)
	if err != nil {
		return err
	}
	u := w.Update
	_, err = s.client.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName: u.TableName, Key: u.Key, UpdateExpression: u.UpdateExpression, ConditionExpression: u.ConditionExpression,
		ExpressionAttributeNames: u.ExpressionAttributeNames, ExpressionAttributeValues: u.ExpressionAttributeValues,
	})
	return err
}
