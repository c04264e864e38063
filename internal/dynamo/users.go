package dynamo

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"
	"sort"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"proportal/internal/domain"
)

// CreateUser writes a new user with its email item, counters, search and team
// entries and invite link, in one transaction.
func (s *Store) CreateUser(ctx context.Context, u domain.User, invite *domain.OneTimeToken) error {
	return s.SaveUser(ctx, domain.UserChange{After: u, PutToken: invite})
}

// SaveUser writes a change to one user and everything that moves with it in
// one transaction. Before.ID is empty for a new user.
func (s *Store) SaveUser(ctx context.Context, c domain.UserChange) error {
	writes, err := s.userWrites(c, true)
	if err != nil {
		return err
	}
	return s.run(ctx, writes)
}

// FindUserByID returns a user of an organization. A user of another
// organization is not found.
func (s *Store) FindUserByID(ctx context.Context, orgID, userID string) (domain.User, error) {
	var it userItem
	if err := s.get(ctx, userKey(orgID, userID), &it, "user"); err != nil {
		return domain.User{}, err
	}
	return it.toDomain(), nil
}

// FindUserByEmail returns the user with a normalized email address, in
// whichever organization it is.
func (s *Store) FindUserByEmail(ctx context.Context, email string) (domain.User, error) {
	var e emailItem
	if err := s.get(ctx, emailKey(email), &e, "user"); err != nil {
		return domain.User{}, err
	}
	return s.FindUserByID(ctx, e.OrgID, e.UserID)
}

// userWrites are the writes of a user change; withCounters leaves out the
// subscription counters when the caller writes the subscription itself.
func (s *Store) userWrites(c domain.UserChange, withCounters bool) ([]write, error) {
	creating := c.Before.ID == ""
	after := c.After
	after.Revision = c.Before.Revision + 1

	cond := expression.Name("rev").Equal(expression.Value(c.Before.Revision))
	if creating {
		cond = expression.AttributeNotExists(expression.Name(attrPK))
	}
	userPut, err := s.put(toUserItem(after), &cond)
	if err != nil {
		return nil, err
	}
	writes := []write{{userPut, func(map[string]types.AttributeValue) error {
		if creating {
			return domain.Errorf(domain.CodeConflict, "The user exists already.")
		}
		return domain.ErrUserChanged
	}}}
	if creating {
		emailPut, err := s.putNew(toEmailItem(after))
		if err != nil {
			return nil, err
		}
		writes = append(writes, write{emailPut, func(map[string]types.AttributeValue) error { return emailInUse() }})
	}
	if withCounters {
		if w, ok, err := s.counterWrite(c.Before, after, creating); err != nil {
			return nil, err
		} else if ok {
			writes = append(writes, w)
		}
	}

	// Search terms and team entries follow the user.
	for _, it := range toSearchItems(after) {
		w, err := s.put(it, nil)
		if err != nil {
			return nil, err
		}
		writes = append(writes, write{item: w})
	}
	if !creating {
		for _, term := range searchTerms(c.Before) {
			if !slices.Contains(searchTerms(after), term) {
				d, err := s.deleteItem(searchKey(after.OrgID, term, after.ID), nil)
				if err != nil {
					return nil, err
				}
				writes = append(writes, write{item: d})
			}
		}
	}
	for _, team := range after.TeamIDs {
		w, err := s.put(toMemberItem(after, team), nil)
		if err != nil {
			return nil, err
		}
		writes = append(writes, write{item: w})
	}
	for _, team := range c.Before.TeamIDs {
		if !after.InTeam(team) {
			d, err := s.deleteItem(memberKey(after.OrgID, team, after.ID), nil)
			if err != nil {
				return nil, err
			}
			writes = append(writes, write{item: d})
		}
	}
	teamCounters, err := s.teamCounterWrites(c.Before, after, creating)
	if err != nil {
		return nil, err
	}
	writes = append(writes, teamCounters...)

	// One-time links.
	if c.PutToken != nil {
		w, err := s.putNew(toTokenItem(*c.PutToken))
		if err != nil {
			return nil, err
		}
		writes = append(writes, write{item: w})
	}
	for _, hash := range c.DropTokens {
		d, err := s.deleteItem(tokenKey(hash), nil)
		if err != nil {
			return nil, err
		}
		writes = append(writes, write{item: d})
	}
	if c.UseToken != "" {
		exists := expression.AttributeExists(expression.Name(attrPK))
		d, err := s.deleteItem(tokenKey(c.UseToken), &exists)
		if err != nil {
			return nil, err
		}
		writes = append(writes, write{d, func(map[string]types.AttributeValue) error {
			return domain.Errorf(domain.CodeInvalidToken, "This link was used already.")
		}})
	}
	entries := c.MoreAudit
	if c.Audit != nil {
		entries = append([]domain.AuditEntry{*c.Audit}, entries...)
	}
	for _, e := range entries {
		w, err := s.auditWrite(e)
		if err != nil {
			return nil, err
		}
		writes = append(writes, w)
	}
	return writes, nil
}

// counterWrite moves the subscription's counters with a user change: seats
// used (never past the total), admins (never below one) and users by status.
func (s *Store) counterWrite(before, after domain.User, creating bool) (write, bool, error) {
	deltas := map[string]int{}
	if !creating {
		deltas[before.Status]--
		deltas["seatsUsed"] -= b2i(before.Seat)
		deltas["admins"] -= b2i(before.Admin)
	}
	deltas[after.Status]++
	deltas["seatsUsed"] += b2i(after.Seat)
	deltas["admins"] += b2i(after.Admin)

	var update expression.UpdateBuilder
	changed := false
	for _, name := range []string{"seatsUsed", "admins", domain.StatusActive, domain.StatusInvited, domain.StatusInactive} {
		if d := deltas[name]; d != 0 {
			update = update.Add(expression.Name(name), expression.Value(d))
			changed = true
		}
	}
	if !changed {
		return write{}, false, nil
	}
	cond := expression.AttributeExists(expression.Name(attrPK))
	if deltas["seatsUsed"] > 0 {
		cond = cond.And(expression.Name("seatsUsed").LessThan(expression.Name("seatsTotal")))
	}
	if deltas["admins"] < 0 {
		cond = cond.And(expression.Name("admins").GreaterThan(expression.Value(1)))
	}
	expr, err := expression.NewBuilder().WithUpdate(update).WithCondition(cond).Build()
	if err != nil {
		return write{}, false, fmt.Errorf("build counter expression: %w", err)
	}
	k, err := marshalKey(subscriptionKey(after.OrgID))
	if err != nil {
		return write{}, false, err
	}
	item := types.TransactWriteItem{Update: &types.Update{
		TableName: aws.String(s.table), Key: k,
		UpdateExpression: expr.Update(), ConditionExpression: expr.Condition(),
		ExpressionAttributeNames: expr.Names(), ExpressionAttributeValues: expr.Values(),
		ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld,
	}}
	return write{item, func(old map[string]types.AttributeValue) error {
		var sub subscriptionItem
		if old == nil || attributevalue.UnmarshalMap(old, &sub) != nil {
			return domain.NotFound("subscription")
		}
		if deltas["seatsUsed"] > 0 && sub.SeatsUsed >= sub.SeatsTotal {
			return seatLimitReached()
		}
		return domain.Errorf(domain.CodeLastAdmin, "This is the organization's last admin. Give someone else admin rights first.")
	}}, true, nil
}

// teamCounterWrites move the member counts of the teams a user joins, leaves
// or changes status in. A team being deleted takes no one new
// (domain.ErrTeamDeleting); a team that is gone is not_found.
func (s *Store) teamCounterWrites(before, after domain.User, creating bool) ([]write, error) {
	var writes []write
	teams := slices.Clone(after.TeamIDs)
	for _, t := range before.TeamIDs {
		if !slices.Contains(teams, t) {
			teams = append(teams, t)
		}
	}
	for _, team := range teams {
		deltas := map[string]int{}
		was := !creating && before.InTeam(team)
		joins := !was && after.InTeam(team)
		if was {
			deltas[before.Status]--
		}
		if after.InTeam(team) {
			deltas[after.Status]++
		}
		var update expression.UpdateBuilder
		changed := false
		for _, status := range []string{domain.StatusActive, domain.StatusInvited, domain.StatusInactive} {
			if d := deltas[status]; d != 0 {
				update = update.Add(expression.Name(status), expression.Value(d))
				changed = true
			}
		}
		if !changed {
			continue
		}
		cond := expression.AttributeExists(expression.Name(attrPK))
		if joins {
			cond = cond.And(expression.AttributeNotExists(expression.Name("deleting")))
		}
		item, err := s.update(teamKey(after.OrgID, team), update, cond)
		if err != nil {
			return nil, err
		}
		item.Update.ReturnValuesOnConditionCheckFailure = types.ReturnValuesOnConditionCheckFailureAllOld
		writes = append(writes, write{item, func(old map[string]types.AttributeValue) error {
			if old == nil {
				return domain.NotFound("team")
			}
			return domain.ErrTeamDeleting
		}})
	}
	return writes, nil
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// FindUserCounts returns an organization's users by status, its admins and seats.
func (s *Store) FindUserCounts(ctx context.Context, orgID string) (domain.UserCounts, error) {
	var it subscriptionItem
	if err := s.get(ctx, subscriptionKey(orgID), &it, "subscription"); err != nil {
		return domain.UserCounts{}, err
	}
	return it.counts(), nil
}

// FindUsers returns a page of users in name order: one Query, plus one
// BatchGetItem per 100 users when the page comes from team or search entries.
func (s *Store) FindUsers(ctx context.Context, orgID string, q domain.UserQuery) ([]domain.User, string, error) {
	if q.Prefix != "" {
		return s.searchUsers(ctx, orgID, q)
	}
	in := &dynamodb.QueryInput{TableName: aws.String(s.table)}
	var keyCond expression.KeyConditionBuilder
	idxPK, idxSK := attrGSI1PK, attrGSI1SK
	switch {
	case q.TeamID == "" && q.Status == domain.FilterAll:
		in.IndexName, idxPK, idxSK = aws.String(IndexGSI2), attrGSI2PK, attrGSI2SK
		keyCond = expression.Key(idxPK).Equal(expression.Value(allUsersPK(orgID)))
	case q.TeamID == "" && q.Status == domain.FilterAdmins:
		in.IndexName, idxPK, idxSK = aws.String(IndexGSI3), attrGSI3PK, attrGSI3SK
		keyCond = expression.Key(idxPK).Equal(expression.Value(adminsPK(orgID)))
	case q.TeamID == "":
		in.IndexName = aws.String(IndexGSI1)
		keyCond = expression.Key(idxPK).Equal(expression.Value(usersByStatusPK(orgID, q.Status)))
	case q.Status == domain.FilterAll:
		in.IndexName = aws.String(IndexGSI1)
		keyCond = expression.Key(idxPK).Equal(expression.Value(teamPK(orgID, q.TeamID)))
	case q.Status == domain.FilterAdmins:
		in.IndexName, idxPK, idxSK = aws.String(IndexGSI3), attrGSI3PK, attrGSI3SK
		keyCond = expression.Key(idxPK).Equal(expression.Value(teamAdminsPK(orgID, q.TeamID)))
	default:
		in.IndexName, idxPK, idxSK = aws.String(IndexGSI2), attrGSI2PK, attrGSI2SK
		keyCond = expression.Key(idxPK).Equal(expression.Value(teamStatusPK(orgID, q.TeamID, q.Status)))
	}
	expr, err := expression.NewBuilder().WithKeyCondition(keyCond).Build()
	if err != nil {
		return nil, "", fmt.Errorf("build user query: %w", err)
	}
	in.KeyConditionExpression = expr.KeyCondition()
	in.ExpressionAttributeNames, in.ExpressionAttributeValues = expr.Names(), expr.Values()
	if q.After != "" {
		start, err := decodePosition(q.After)
		if err != nil {
			return nil, "", err
		}
		in.ExclusiveStartKey = start
	}
	// One more than a page tells whether another page exists, without an empty last page.
	in.Limit = aws.Int32(int32(q.Limit + 1))
	out, err := s.client.Query(ctx, in)
	if err != nil {
		return nil, "", fmt.Errorf("query users: %w", err)
	}
	items := out.Items
	var next string
	if len(items) > q.Limit {
		items = items[:q.Limit]
		next = encodePosition(items[len(items)-1], attrPK, attrSK, idxPK, idxSK)
	}
	if q.TeamID == "" {
		users := make([]domain.User, 0, len(items))
		for _, av := range items {
			var it userItem
			if err := attributevalue.UnmarshalMap(av, &it); err != nil {
				return nil, "", fmt.Errorf("decode user: %w", err)
			}
			users = append(users, it.toDomain())
		}
		return users, next, nil
	}
	ids := make([]string, 0, len(items))
	for _, av := range items {
		var it memberItem
		if err := attributevalue.UnmarshalMap(av, &it); err != nil {
			return nil, "", fmt.Errorf("decode team member: %w", err)
		}
		ids = append(ids, it.UserID)
	}
	users, err := s.findUsersByID(ctx, orgID, ids)
	return users, next, err
}

// searchUsers finds users by the start of a name or email: one Query over the
// org's search entries, filtered and put in name order here, then the page's
// users in one BatchGetItem per 100. The Query reads only what ordering and
// filtering need, so its one response (DynamoDB's 1 MB) holds some 10,000
// matching names; a prefix matching more than that (one letter in a very large
// organization) is ordered among the first 10,000 and logged.
func (s *Store) searchUsers(ctx context.Context, orgID string, q domain.UserQuery) ([]domain.User, string, error) {
	expr, err := expression.NewBuilder().
		WithKeyCondition(expression.Key(attrPK).Equal(expression.Value(searchPK(orgID))).
			And(expression.Key(attrSK).BeginsWith(q.Prefix))).
		WithProjection(expression.NamesList(expression.Name("userId"), expression.Name("sortKey"),
			expression.Name("status"), expression.Name("admin"), expression.Name("teamIds"))).
		Build()
	if err != nil {
		return nil, "", fmt.Errorf("build search: %w", err)
	}
	out, err := s.client.Query(ctx, &dynamodb.QueryInput{
		TableName: aws.String(s.table), KeyConditionExpression: expr.KeyCondition(),
		ProjectionExpression:     expr.Projection(),
		ExpressionAttributeNames: expr.Names(), ExpressionAttributeValues: expr.Values(),
	})
	if err != nil {
		return nil, "", fmt.Errorf("search users: %w", err)
	}
	if out.LastEvaluatedKey != nil {
		slog.WarnContext(ctx, "search matched more than one response holds", "orgId", orgID, "matches", len(out.Items))
	}
	seen := map[string]bool{}
	var hits []searchItem
	for _, av := range out.Items {
		var it searchItem
		if err := attributevalue.UnmarshalMap(av, &it); err != nil {
			return nil, "", fmt.Errorf("decode search entry: %w", err)
		}
		if seen[it.UserID] || !matches(it, q) || it.SortKey <= q.After {
			continue
		}
		seen[it.UserID] = true
		hits = append(hits, it)
	}
	sort.Slice(hits, func(i, j int) bool { return hits[i].SortKey < hits[j].SortKey })
	var next string
	if len(hits) > q.Limit {
		hits = hits[:q.Limit]
		next = hits[len(hits)-1].SortKey
	}
	ids := make([]string, len(hits))
	for i, h := range hits {
		ids[i] = h.UserID
	}
	users, err := s.findUsersByID(ctx, orgID, ids)
	return users, next, err
}

func matches(it searchItem, q domain.UserQuery) bool {
	switch {
	case q.TeamID != "" && !slices.Contains(it.TeamIDs, q.TeamID):
		return false
	case q.Status == domain.FilterAll:
		return true
	case q.Status == domain.FilterAdmins:
		return it.Admin
	default:
		return it.Status == q.Status
	}
}

// FindUsersByID returns the users of an organization with these ids, in
// their order (ids of nobody there are left out): one BatchGetItem per 100.
func (s *Store) FindUsersByID(ctx context.Context, orgID string, ids []string) ([]domain.User, error) {
	return s.findUsersByID(ctx, orgID, ids)
}

// findUsersByID reads users of an org by id, in the order of ids, with one
// BatchGetItem per 100 (and again for keys DynamoDB left unprocessed).
func (s *Store) findUsersByID(ctx context.Context, orgID string, ids []string) ([]domain.User, error) {
	byID := make(map[string]domain.User, len(ids))
	for start := 0; start < len(ids); start += batchGetSize {
		keys := make([]map[string]types.AttributeValue, 0, batchGetSize)
		for _, id := range ids[start:min(start+batchGetSize, len(ids))] {
			k, err := marshalKey(userKey(orgID, id))
			if err != nil {
				return nil, err
			}
			keys = append(keys, k)
		}
		found, err := s.batchGet(ctx, keys)
		if err != nil {
			return nil, fmt.Errorf("read users: %w", err)
		}
		for _, av := range found {
			var it userItem
			if err := attributevalue.UnmarshalMap(av, &it); err != nil {
				return nil, fmt.Errorf("decode user: %w", err)
			}
			byID[it.ID] = it.toDomain()
		}
	}
	users := make([]domain.User, 0, len(ids))
	for _, id := range ids {
		if u, ok := byID[id]; ok {
			users = append(users, u)
		}
	}
	return users, nil
}

// encodePosition keeps the key attributes of the item a page ended with.
func encodePosition(item map[string]types.AttributeValue, names ...string) string {
	pos := map[string]string{}
	for _, n := range names {
		if v, ok := item[n].(*types.AttributeValueMemberS); ok {
			pos[n] = v.Value
		}
	}
	b, _ := json.Marshal(pos)
	return string(b)
}

func decodePosition(s string) (map[string]types.AttributeValue, error) {
	var pos map[string]string
	if err := json.Unmarshal([]byte(s), &pos); err != nil || len(pos) == 0 {
		return nil, domain.Problems{"cursor": "is not a cursor of this list"}.Err()
	}
	av := make(map[string]types.AttributeValue, len(pos))
	for k, v := range pos {
		av[k] = &types.AttributeValueMemberS{Value: v}
	}
	return av, nil
}
