package dynamo

import (
	"context"
	"fmt"
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

// Ingestion (docs/data-model.md, "Activity"): each event is its own claim,
// put on attribute_not_exists(pk) in the same TransactWriteItems as what it
// adds to the aggregates, so that an event is counted once however often it
// arrives. A batch is cut into transactions of at most 100 items (a
// learner's events together where they fit), and within one transaction the
// events are summed first: each aggregate item is written once per
// transaction, not once per event.
//
// Learner items (SUMMARY, DAY#, WEEK#, EPISODE#, LAB#) are read first (one
// consistent BatchGetItem per transaction, with the events' claims) and put
// whole, on condition of the revision read: that is what makes the distinct
// counts exact (an episode completed for the first time, a learner active
// for the first time in a day or week, which adds 1 to the organization's and
// teams' activeLearners). Organization and team usage items only ever grow
// by ADD, which needs no condition. A transaction cancelled by a condition
// (another request counted one of the events, or moved one of the learners)
// is read again and retried; events found claimed are duplicates.

var _ domain.IngestStore = (*Store)(nil)

// ingestItemsPerTransaction is DynamoDB's limit of items in a transaction.
const ingestItemsPerTransaction = 100

// ingestAttempts bounds the read-and-write rounds of one transaction whose
// conditions keep failing because other requests write the same learners.
const ingestAttempts = 16

// learnerUsageItem is a learner's usage of a day or week, with the revision
// its conditional put checks.
type learnerUsageItem struct {
	usageItem
	Rev int `dynamodbav:"rev"`
}

// RecordActivity writes an organization's checked events and their
// aggregates, each event counted once (see above). It returns which events
// it counted now and which were counted before (or came earlier in events).
// After an error, the transactions that succeeded stay written: sending the
// same events again counts the rest, and only the rest.
func (s *Store) RecordActivity(ctx context.Context, orgID string, events []domain.ActivityEvent) (domain.Recorded, error) {
	var rec domain.Recorded
	seen := make(map[string]bool, len(events))
	var todo []int
	for i, e := range events {
		if seen[e.ID] {
			rec.Duplicates = append(rec.Duplicates, i)
			continue
		}
		seen[e.ID] = true
		todo = append(todo, i)
	}
	for _, chunk := range planTransactions(events, todo) {
		accepted, dups, err := s.recordChunk(ctx, orgID, events, chunk)
		rec.Accepted = append(rec.Accepted, accepted...)
		rec.Duplicates = append(rec.Duplicates, dups...)
		if err != nil {
			return rec, fmt.Errorf("record activity: %w", err)
		}
	}
	sort.Ints(rec.Accepted)
	sort.Ints(rec.Duplicates)
	return rec, nil
}

// itemsOf names the items an event writes: its claim, its learner's items,
// and the organization's and its teams' usage of its day and week.
func itemsOf(e domain.ActivityEvent) (learner, shared []string) {
	u := e.UserID
	learner = []string{"E#" + e.ID, "S#" + u, "U#" + u, "LD#" + u + e.Day, "LW#" + u + e.Week}
	switch e.Kind {
	case domain.EventViewing:
		learner = append(learner, "EP#"+u+"#"+e.EpisodeID)
	case domain.EventLab:
		learner = append(learner, "LB#"+u+"#"+e.LabID)
	}
	shared = []string{"OD#" + e.Day, "OW#" + e.Week}
	for _, t := range e.TeamIDs {
		shared = append(shared, "TD#"+t+e.Day, "TW#"+t+e.Week)
	}
	return learner, shared
}

// planTransactions cuts the events (by their index in events) into
// transactions of at most 100 items: a learner's events of a week together
// unless they do not fit in one transaction, weeks in order and learners in
// the order they first come. A batch from the platform is an hour or so: each
// learner's events together. A replay of history packs the learners of a
// week together, who share the organization's and teams' days and weeks.
func planTransactions(events []domain.ActivityEvent, todo []int) [][]int {
	type unit struct{ week, user string }
	var learners []unit
	byLearner := map[unit][]int{}
	for _, i := range todo {
		u := unit{events[i].Week, events[i].UserID}
		if _, ok := byLearner[u]; !ok {
			learners = append(learners, u)
		}
		byLearner[u] = append(byLearner[u], i)
	}
	slices.SortStableFunc(learners, func(a, b unit) int { return strings.Compare(a.week, b.week) })
	var chunks [][]int
	var cur []int
	have := map[string]bool{}
	// grow is how many new items the events would add to have (and adds
	// them when add is set).
	grow := func(idx []int, add bool) int {
		n := 0
		added := map[string]bool{}
		for _, i := range idx {
			l, sh := itemsOf(events[i])
			for _, k := range append(l, sh...) {
				if !have[k] && !added[k] {
					added[k] = true
					n++
				}
			}
		}
		if add {
			for k := range added {
				have[k] = true
			}
		}
		return n
	}
	closeChunk := func() {
		if len(cur) > 0 {
			chunks = append(chunks, cur)
		}
		cur, have = nil, map[string]bool{}
	}
	for _, u := range learners {
		idx := byLearner[u]
		if len(have)+grow(idx, false) > ingestItemsPerTransaction {
			closeChunk()
		}
		for _, i := range idx {
			if len(have)+grow([]int{i}, false) > ingestItemsPerTransaction {
				closeChunk()
			}
			grow([]int{i}, true)
			cur = append(cur, i)
		}
	}
	closeChunk()
	return chunks
}

// learnerState is what one transaction's learner items were when read.
type learnerState struct {
	claimed   map[string]string // event id → its writer
	summaries map[string]*learnerSummaryItem
	usage     map[key]*learnerUsageItem
	episodes  map[key]*learnerEpisodeItem
	labs      map[key]*learnerLabItem
	// users are the learners' user items (their last activity and idle keys).
	users map[string]*userItem
	// found holds the keys that existed (their puts are conditioned on
	// their revision; the others on not existing).
	found map[key]bool
}

// recordChunk writes one transaction's events: read, sum, write; read again
// when a condition failed.
//
// An event claimed by this call's own writer was written by an earlier
// attempt whose answer was lost (the SDK sent the transaction again, and the
// repeat found the claims): it is accepted, not a duplicate. DynamoDB itself
// makes such a repeat succeed through the SDK's ClientRequestToken; moto and
// DynamoDB Local ignore the token.
func (s *Store) recordChunk(ctx context.Context, orgID string, events []domain.ActivityEvent, idx []int) (accepted, dups []int, err error) {
	writer := domain.NewID()
	var mine []int
	for attempt := 1; ; attempt++ {
		st, err := s.readLearners(ctx, orgID, events, idx)
		if err != nil {
			return mine, dups, err
		}
		fresh := idx[:0:0]
		for _, i := range idx {
			switch w, claimed := st.claimed[events[i].ID]; {
			case claimed && w == writer:
				mine = append(mine, i)
			case claimed:
				dups = append(dups, i)
			default:
				fresh = append(fresh, i)
			}
		}
		idx = fresh
		if len(idx) == 0 {
			return mine, dups, nil
		}
		items, err := s.activityWrites(orgID, events, idx, st, writer)
		if err != nil {
			return mine, dups, err
		}
		reasons, err := s.transact(ctx, items)
		if err != nil {
			return mine, dups, fmt.Errorf("write %d events: %w", len(idx), err)
		}
		if reasons == nil {
			return append(mine, idx...), dups, nil
		}
		if attempt == ingestAttempts {
			return mine, dups, domain.Errorf(domain.CodeUnavailable, "Too many concurrent writes to the same learners; send the batch again.")
		}
		if err := backoff(ctx, attempt); err != nil {
			return mine, dups, err
		}
	}
}

// readLearners reads the events' claims and their learners' items, with one
// consistent BatchGetItem (per 100 keys: a transaction's reads are fewer).
func (s *Store) readLearners(ctx context.Context, orgID string, events []domain.ActivityEvent, idx []int) (learnerState, error) {
	st := learnerState{
		claimed: map[string]string{}, summaries: map[string]*learnerSummaryItem{}, usage: map[key]*learnerUsageItem{},
		episodes: map[key]*learnerEpisodeItem{}, labs: map[key]*learnerLabItem{}, found: map[key]bool{},
		users: map[string]*userItem{},
	}
	var keys []key
	want := map[key]bool{}
	need := func(k key) {
		if !want[k] {
			want[k] = true
			keys = append(keys, k)
		}
	}
	for _, i := range idx {
		e := events[i]
		need(eventKey(orgID, e.ID))
		need(learnerSummaryKey(orgID, e.UserID))
		need(userKey(orgID, e.UserID))
		need(key{learnerPK(orgID, e.UserID), dayPrefix + e.Day})
		need(key{learnerPK(orgID, e.UserID), weekPrefix + e.Week})
		switch e.Kind {
		case domain.EventViewing:
			need(learnerEpisodeKey(orgID, e.UserID, e.EpisodeID))
		case domain.EventLab:
			need(learnerLabKey(orgID, e.UserID, e.LabID))
		}
	}
	found, err := s.readKeys(ctx, keys)
	if err != nil {
		return st, err
	}
	for k, av := range found {
		st.found[k] = true
		var err error
		switch sk := k.SK; {
		case sk == "EVENT":
			var it eventItem
			err = attributevalue.UnmarshalMap(av, &it)
			st.claimed[it.ID] = it.Writer
		case k.PK == orgPK(orgID) && hasPrefix(sk, "USER#"):
			var it userItem
			err = attributevalue.UnmarshalMap(av, &it)
			st.users[it.ID] = &it
		case sk == "SUMMARY":
			var it learnerSummaryItem
			err = attributevalue.UnmarshalMap(av, &it)
			st.summaries[k.PK] = &it
		case hasPrefix(sk, dayPrefix), hasPrefix(sk, weekPrefix):
			var it learnerUsageItem
			err = attributevalue.UnmarshalMap(av, &it)
			st.usage[k] = &it
		case hasPrefix(sk, episodePrefix):
			var it learnerEpisodeItem
			err = attributevalue.UnmarshalMap(av, &it)
			st.episodes[k] = &it
		case hasPrefix(sk, labPrefix):
			var it learnerLabItem
			err = attributevalue.UnmarshalMap(av, &it)
			st.labs[k] = &it
		}
		if err != nil {
			return st, fmt.Errorf("decode %s/%s: %w", k.PK, k.SK, err)
		}
	}
	return st, nil
}

func hasPrefix(s, prefix string) bool { return len(s) >= len(prefix) && s[:len(prefix)] == prefix }

// readKeys reads items by key with consistent BatchGetItem calls (100 keys
// a call), again for keys DynamoDB left unprocessed; missing items are left
// out.
func (s *Store) readKeys(ctx context.Context, keys []key) (map[key]map[string]types.AttributeValue, error) {
	out := make(map[key]map[string]types.AttributeValue, len(keys))
	for start := 0; start < len(keys); start += batchGetSize {
		var avs []map[string]types.AttributeValue
		for _, k := range keys[start:min(start+batchGetSize, len(keys))] {
			av, err := marshalKey(k)
			if err != nil {
				return nil, err
			}
			avs = append(avs, av)
		}
		request := map[string]types.KeysAndAttributes{s.table: {Keys: avs, ConsistentRead: aws.Bool(true)}}
		err := retry(ctx, func() (bool, error) {
			res, err := s.client.BatchGetItem(ctx, &dynamodb.BatchGetItemInput{RequestItems: request})
			if err != nil {
				return false, fmt.Errorf("batch get: %w", err)
			}
			for _, av := range res.Responses[s.table] {
				var k key
				if err := attributevalue.UnmarshalMap(av, &k); err != nil {
					return false, fmt.Errorf("decode key: %w", err)
				}
				out[k] = av
			}
			request = res.UnprocessedKeys
			if n := len(request[s.table].Keys); n > 0 {
				return true, fmt.Errorf("batch get: DynamoDB left %d keys unprocessed", n)
			}
			return false, nil
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// activityWrites sums a transaction's events into its writes: the events'
// claims, each learner item once (put whole on its revision), each
// organization and team usage item once (ADD).
func (s *Store) activityWrites(orgID string, events []domain.ActivityEvent, idx []int, st learnerState, writer string) ([]types.TransactWriteItem, error) {
	now := time.Now()
	var items []types.TransactWriteItem
	// Learner items, as they will be; and what the org's and teams' usage
	// items gain, by key.
	summaries := map[string]*learnerSummaryItem{}
	usage := map[key]*learnerUsageItem{}
	episodes := map[key]*learnerEpisodeItem{}
	labs := map[key]*learnerLabItem{}
	learnerIDs := map[string]string{}
	var order []key
	shared := map[key]*domain.Usage{}
	gain := func(k key, u domain.Usage) {
		if shared[k] == nil {
			shared[k] = &domain.Usage{}
			order = append(order, k)
		}
		shared[k].Add(u)
	}
	for _, i := range idx {
		e := events[i]
		it := toEventItem(e.Event, now)
		it.Writer = writer
		put, err := s.putNew(it)
		if err != nil {
			return nil, err
		}
		items = append(items, put)

		pk := learnerPK(orgID, e.UserID)
		learnerIDs[pk] = e.UserID
		sum := summaries[pk]
		if sum == nil {
			sum = &learnerSummaryItem{key: learnerSummaryKey(orgID, e.UserID)}
			if old := st.summaries[pk]; old != nil {
				*sum = *old
			}
			summaries[pk] = sum
		}
		add := domain.UsageOf(e.Event)
		sum.Viewings += add.Viewings
		sum.Seconds += add.Seconds
		sum.LabsStarted += add.LabsStarted
		sum.LabsCompleted += add.LabsCompleted
		sum.Logins += add.Logins
		if e.Kind == domain.EventLogin && e.At.After(sum.LastLoginAt) {
			sum.LastLoginAt = e.At
		}
		if e.Active() {
			if sum.FirstActiveAt.IsZero() || e.At.Before(sum.FirstActiveAt) {
				sum.FirstActiveAt = e.At
			}
			if e.At.After(sum.LastActiveAt) {
				sum.LastActiveAt = e.At
			}
		}

		for _, period := range []key{{pk, dayPrefix + e.Day}, {pk, weekPrefix + e.Week}} {
			u := usage[period]
			if u == nil {
				u = &learnerUsageItem{usageItem: usageItem{key: period}}
				if old := st.usage[period]; old != nil {
					*u = *old
				}
				usage[period] = u
			}
			gained := add
			if e.Active() && u.ActiveLearners == 0 {
				// The learner's first activity of the period: one more
				// active learner for the org and each of their teams.
				gained.ActiveLearners = 1
			}
			u.Viewings += gained.Viewings
			u.Seconds += gained.Seconds
			u.Completed += gained.Completed
			u.LabsStarted += gained.LabsStarted
			u.LabsCompleted += gained.LabsCompleted
			u.Logins += gained.Logins
			u.ActiveLearners += gained.ActiveLearners
			kind, start := dayPrefix, e.Day
			if period.SK == weekPrefix+e.Week {
				kind, start = weekPrefix, e.Week
			}
			gain(key{orgUsagePK(orgID), kind + start}, gained)
			for _, t := range e.TeamIDs {
				gain(key{teamUsagePK(orgID, t), kind + start}, gained)
			}
		}

		switch e.Kind {
		case domain.EventViewing:
			k := learnerEpisodeKey(orgID, e.UserID, e.EpisodeID)
			ep := episodes[k]
			if ep == nil {
				ep = &learnerEpisodeItem{key: k, EpisodeID: e.EpisodeID, CourseID: e.CourseID}
				if old := st.episodes[k]; old != nil {
					*ep = *old
				}
				episodes[k] = ep
			}
			ep.Viewings++
			ep.Seconds += e.Seconds
			if e.At.After(ep.LastAt) {
				ep.LastAt = e.At
			}
			if e.Completed {
				if ep.CompletedAt.IsZero() {
					sum.EpisodesCompleted++ // distinct: its first completion
				}
				if ep.CompletedAt.IsZero() || e.At.Before(ep.CompletedAt) {
					ep.CompletedAt = e.At
				}
			}
		case domain.EventLab:
			k := learnerLabKey(orgID, e.UserID, e.LabID)
			lab := labs[k]
			if lab == nil {
				lab = &learnerLabItem{key: k, LabID: e.LabID}
				if old := st.labs[k]; old != nil {
					*lab = *old
				}
				labs[k] = lab
			}
			if e.At.After(lab.LastAt) {
				lab.LastAt = e.At
			}
			if e.Status == domain.LabCompleted {
				lab.Completions++
				lab.BestScore = max(lab.BestScore, e.Score)
				if lab.CompletedAt.IsZero() || e.At.Before(lab.CompletedAt) {
					lab.CompletedAt = e.At
				}
			} else {
				lab.Attempts++
			}
		}
	}

	// Each learner item once, on its revision.
	learnerPut := func(k key, item any, rev *int) error {
		var cond expression.ConditionBuilder
		if st.found[k] {
			cond = expression.Name("rev").Equal(expression.Value(*rev))
		} else {
			cond = expression.AttributeNotExists(expression.Name(attrPK))
		}
		*rev++
		w, err := s.put(item, &cond)
		if err != nil {
			return err
		}
		items = append(items, w)
		return nil
	}
	for _, pk := range sortedKeys(summaries) {
		it := summaries[pk]
		if err := learnerPut(it.key, it, &it.Rev); err != nil {
			return nil, err
		}
	}
	for _, k := range sortedItemKeys(usage) {
		if err := learnerPut(k, usage[k], &usage[k].Rev); err != nil {
			return nil, err
		}
	}
	for _, k := range sortedItemKeys(episodes) {
		if err := learnerPut(k, episodes[k], &episodes[k].Rev); err != nil {
			return nil, err
		}
	}
	for _, k := range sortedItemKeys(labs) {
		if err := learnerPut(k, labs[k], &labs[k].Rev); err != nil {
			return nil, err
		}
	}
	// Each learner's user item, when their last activity moved on.
	for _, pk := range sortedKeys(summaries) {
		w, ok, err := s.lastActiveWrite(orgID, learnerIDs[pk], summaries[pk], st)
		if err != nil {
			return nil, err
		}
		if ok {
			items = append(items, w)
		}
	}
	// Each organization and team usage item once, by ADD.
	for _, k := range order {
		w, err := s.addUsage(k, *shared[k])
		if err != nil {
			return nil, err
		}
		items = append(items, w)
	}
	if len(items) > ingestItemsPerTransaction {
		return nil, fmt.Errorf("a transaction of %d items (the most is %d)", len(items), ingestItemsPerTransaction)
	}
	return items, nil
}

// lastActiveWrite moves a learner's user item on to their latest activity
// (any event: a sign-in, a viewing, a lab), and with it idleSince and the
// idle seats' sort key, when that activity is later than what the item
// holds. It leaves the revision alone (an admin's change is not refused for
// it) but is conditioned on lastActiveAt being as read, and an admin's save
// on lastActiveAt being as they read it: neither takes back the other's.
func (s *Store) lastActiveWrite(orgID, userID string, sum *learnerSummaryItem, st learnerState) (types.TransactWriteItem, bool, error) {
	u := st.users[userID]
	if u == nil {
		return types.TransactWriteItem{}, false, nil
	}
	latest := sum.LastActiveAt
	if sum.LastLoginAt.After(latest) {
		latest = sum.LastLoginAt
	}
	latest = latest.UTC()
	if !latest.After(u.LastActiveAt) {
		return types.TransactWriteItem{}, false, nil
	}
	was := u.toDomain()
	now := was
	now.LastActiveAt = latest
	seen := now.LastSeen()
	upd := expression.Set(expression.Name("lastActiveAt"), expression.Value(latest)).
		Set(expression.Name("idleSince"), expression.Value(expiryStamp(seen)))
	if u.GSI4PK != "" {
		upd = upd.Set(expression.Name(attrGSI4SK), expression.Value(idleSK(seen, u.ID)))
	}
	cond := expression.AttributeExists(expression.Name(attrPK)).And(expression.Or(
		expression.AttributeNotExists(expression.Name("lastActiveAt")),
		expression.Name("lastActiveAt").Equal(expression.Value(was.LastActiveAt.UTC()))))
	w, err := s.update(userKey(orgID, u.ID), upd, cond)
	if err != nil {
		return types.TransactWriteItem{}, false, err
	}
	return w, true, nil
}

// addUsage adds to a day's or week's usage of an organization or a team.
func (s *Store) addUsage(k key, u domain.Usage) (types.TransactWriteItem, error) {
	var upd expression.UpdateBuilder
	for _, c := range []struct {
		name string
		n    int
	}{
		{"viewings", u.Viewings}, {"seconds", u.Seconds}, {"completed", u.Completed},
		{"labsStarted", u.LabsStarted}, {"labsCompleted", u.LabsCompleted}, {"logins", u.Logins},
		{"activeLearners", u.ActiveLearners},
	} {
		// Every counter is set, so that a reader finds each attribute.
		upd = upd.Add(expression.Name(c.name), expression.Value(c.n))
	}
	expr, err := expression.NewBuilder().WithUpdate(upd).Build()
	if err != nil {
		return types.TransactWriteItem{}, fmt.Errorf("build usage update: %w", err)
	}
	av, err := marshalKey(k)
	if err != nil {
		return types.TransactWriteItem{}, err
	}
	return types.TransactWriteItem{Update: &types.Update{
		TableName: aws.String(s.table), Key: av, UpdateExpression: expr.Update(),
		ExpressionAttributeNames: expr.Names(), ExpressionAttributeValues: expr.Values(),
	}}, nil
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func sortedItemKeys[V any](m map[key]V) []key {
	out := make([]key, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.SortFunc(out, func(a, b key) int {
		if a.PK != b.PK {
			return strings.Compare(a.PK, b.PK)
		}
		return strings.Compare(a.SK, b.SK)
	})
	return out
}
