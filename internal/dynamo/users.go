package dynamo

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"proportal/internal/domain"
)

// write is one item of a transaction and the error to answer when its
// condition fails (nil for writes without a condition).
type write struct {
	item types.TransactWriteItem
	// fails explains a failed condition; it may look at the item as it was.
	fails func(old map[string]types.AttributeValue) error
}

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
		return domain.Errorf(domain.CodeConflict, "Someone changed this user at the same time; reload and try again.")
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
				writes = append(writes, write{item: s.deleteItem(searchKey(after.OrgID, term, after.ID), nil)})
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
			writes = append(writes, write{item: s.deleteItem(memberKey(after.OrgID, team, after.ID), nil)})
		}
	}

	// One-time links.
	if c.PutToken != nil {
		w, err := s.putNew(toTokenItem(*c.PutToken))
		if err != nil {
			return nil, err
		}
		writes = append(writes, write{item: w})
	}
	for _, hash := range c.DropTokens {
		writes = append(writes, write{item: s.deleteItem(tokenKey(hash), nil)})
	}
	if c.UseToken != "" {
		exists := expression.AttributeExists(expression.Name(attrPK))
		writes = append(writes, write{s.deleteItem(tokenKey(c.UseToken), &exists), func(map[string]types.AttributeValue) error {
			return domain.Errorf(domain.CodeInvalidToken, "This link was used already.")
		}})
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

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// run executes writes as one transaction and explains a failed condition.
func (s *Store) run(ctx context.Context, writes []write) error {
	items := make([]types.TransactWriteItem, len(writes))
	for i, w := range writes {
		items[i] = w.item
	}
	reasons, err := s.transact(ctx, items)
	if err != nil {
		return fmt.Errorf("write transaction: %w", err)
	}
	for i, r := range reasons {
		if aws.ToString(r.Code) == "ConditionalCheckFailed" && i < len(writes) && writes[i].fails != nil {
			return writes[i].fails(r.Item)
		}
	}
	if reasons != nil {
		return errors.New("write transaction: a condition failed")
	}
	return nil
}

// put is a transactional put, with a condition when one is given.
func (s *Store) put(item any, cond *expression.ConditionBuilder) (types.TransactWriteItem, error) {
	av, err := attributevalue.MarshalMap(item)
	if err != nil {
		return types.TransactWriteItem{}, fmt.Errorf("encode item: %w", err)
	}
	p := &types.Put{TableName: aws.String(s.table), Item: av}
	if cond != nil {
		expr, err := expression.NewBuilder().WithCondition(*cond).Build()
		if err != nil {
			return types.TransactWriteItem{}, fmt.Errorf("build put condition: %w", err)
		}
		p.ConditionExpression, p.ExpressionAttributeNames, p.ExpressionAttributeValues = expr.Condition(), expr.Names(), expr.Values()
	}
	return types.TransactWriteItem{Put: p}, nil
}

// deleteItem is a transactional delete, with a condition when one is given.
func (s *Store) deleteItem(k key, cond *expression.ConditionBuilder) types.TransactWriteItem {
	av, _ := marshalKey(k) // a key of two strings always encodes
	d := &types.Delete{TableName: aws.String(s.table), Key: av}
	if cond != nil {
		if expr, err := expression.NewBuilder().WithCondition(*cond).Build(); err == nil {
			d.ConditionExpression, d.ExpressionAttributeNames, d.ExpressionAttributeValues = expr.Condition(), expr.Names(), expr.Values()
		}
	}
	return types.TransactWriteItem{Delete: d}
}

// FindUserCounts returns an organization's users by status, its admins and seats.
func (s *Store) FindUserCounts(ctx context.Context, orgID string) (domain.UserCounts, error) {
	var it subscriptionItem
	if err := s.get(ctx, subscriptionKey(orgID), &it, "subscription"); err != nil {
		return domain.UserCounts{}, err
	}
	return it.counts(), nil
}

// FindToken returns the one-time link with a hash.
func (s *Store) FindToken(ctx context.Context, hash string) (domain.OneTimeToken, error) {
	var it tokenItem
	if err := s.get(ctx, tokenKey(hash), &it, "link"); err != nil {
		return domain.OneTimeToken{}, err
	}
	return it.toDomain(hash), nil
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

// findUsersByID reads users of an org by id, in the order of ids, with one
// BatchGetItem per 100 (and again for keys DynamoDB left unprocessed).
func (s *Store) findUsersByID(ctx context.Context, orgID string, ids []string) ([]domain.User, error) {
	byID := make(map[string]domain.User, len(ids))
	for start := 0; start < len(ids); start += 100 {
		keys := make([]map[string]types.AttributeValue, 0, 100)
		for _, id := range ids[start:min(start+100, len(ids))] {
			k, err := marshalKey(userKey(orgID, id))
			if err != nil {
				return nil, err
			}
			keys = append(keys, k)
		}
		request := map[string]types.KeysAndAttributes{s.table: {Keys: keys}}
		for attempt := 0; len(request) > 0; attempt++ {
			if attempt == 5 {
				return nil, errors.New("read users: DynamoDB left keys unprocessed 5 times")
			}
			if attempt > 0 {
				time.Sleep(time.Duration(attempt*attempt) * 20 * time.Millisecond)
			}
			out, err := s.client.BatchGetItem(ctx, &dynamodb.BatchGetItemInput{RequestItems: request})
			if err != nil {
				return nil, fmt.Errorf("read users: %w", err)
			}
			for _, av := range out.Responses[s.table] {
				var it userItem
				if err := attributevalue.UnmarshalMap(av, &it); err != nil {
					return nil, fmt.Errorf("decode user: %w", err)
				}
				byID[it.ID] = it.toDomain()
			}
			request = out.UnprocessedKeys
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

// CreateTeam stores a new team.
func (s *Store) CreateTeam(ctx context.Context, t domain.Team) error {
	w, err := s.putNew(toTeamItem(t))
	if err != nil {
		return err
	}
	_, err = s.client.PutItem(ctx, &dynamodb.PutItemInput{
		TableName: w.Put.TableName, Item: w.Put.Item, ConditionExpression: w.Put.ConditionExpression,
		ExpressionAttributeNames: w.Put.ExpressionAttributeNames,
	})
	if err != nil {
		return fmt.Errorf("create team: %w", err)
	}
	return nil
}

// FindTeam returns a team of an organization.
func (s *Store) FindTeam(ctx context.Context, orgID, teamID string) (domain.Team, error) {
	var it teamItem
	if err := s.get(ctx, teamKey(orgID, teamID), &it, "team"); err != nil {
		return domain.Team{}, err
	}
	return it.toDomain(), nil
}

// FindTeams returns an organization's teams by name.
func (s *Store) FindTeams(ctx context.Context, orgID string) ([]domain.Team, error) {
	expr, err := expression.NewBuilder().WithKeyCondition(
		expression.Key(attrPK).Equal(expression.Value(orgPK(orgID))).And(expression.Key(attrSK).BeginsWith(teamsPrefix)),
	).Build()
	if err != nil {
		return nil, fmt.Errorf("build team query: %w", err)
	}
	out, err := s.client.Query(ctx, &dynamodb.QueryInput{
		TableName: aws.String(s.table), KeyConditionExpression: expr.KeyCondition(),
		ExpressionAttributeNames: expr.Names(), ExpressionAttributeValues: expr.Values(),
	})
	if err != nil {
		return nil, fmt.Errorf("query teams: %w", err)
	}
	teams := make([]domain.Team, 0, len(out.Items))
	for _, av := range out.Items {
		var it teamItem
		if err := attributevalue.UnmarshalMap(av, &it); err != nil {
			return nil, fmt.Errorf("decode team: %w", err)
		}
		teams = append(teams, it.toDomain())
	}
	sort.Slice(teams, func(i, j int) bool { return strings.ToLower(teams[i].Name) < strings.ToLower(teams[j].Name) })
	return teams, nil
}

// Hit counts one more request under scope and key in a window and returns the
// count so far.
func (s *Store) Hit(ctx context.Context, scope, key string, window int64, expires time.Time) (int, error) {
	k, err := marshalKey(rateKey(scope, key, window))
	if err != nil {
		return 0, err
	}
	expr, err := expression.NewBuilder().WithUpdate(
		expression.Add(expression.Name("count"), expression.Value(1)).
			Set(expression.Name(attrTTL), expression.Value(expires.Add(cleanupAfter).Unix())),
	).Build()
	if err != nil {
		return 0, fmt.Errorf("build counter expression: %w", err)
	}
	out, err := s.client.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName: aws.String(s.table), Key: k, UpdateExpression: expr.Update(),
		ExpressionAttributeNames: expr.Names(), ExpressionAttributeValues: expr.Values(),
		ReturnValues: types.ReturnValueUpdatedNew,
	})
	if err != nil {
		return 0, fmt.Errorf("count %s: %w", scope, err)
	}
	var c counterItem
	if err := attributevalue.UnmarshalMap(out.Attributes, &c); err != nil {
		return 0, fmt.Errorf("decode counter: %w", err)
	}
	return c.Count, nil
}
