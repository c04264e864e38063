package dynamo

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"proportal/internal/domain"
)

// Report schedules, their deliveries and run claims (docs/data-model.md,
// "Scheduled reports").

var _ domain.ScheduleStore = (*Store)(nil)

type scheduleItem struct {
	key
	// GSI1 holds a schedule that is not paused under the hour of its next
	// run (DUE#…), where the dispatcher finds it.
	GSI1PK     string    `dynamodbav:"gsi1pk,omitempty"`
	GSI1SK     string    `dynamodbav:"gsi1sk,omitempty"`
	Type       string    `dynamodbav:"type"`
	ID         string    `dynamodbav:"id"`
	OrgID      string    `dynamodbav:"orgId"`
	Name       string    `dynamodbav:"name"`
	Kind       string    `dynamodbav:"kind"`
	TeamID     string    `dynamodbav:"teamId,omitempty"`
	Frequency  string    `dynamodbav:"frequency"`
	Weekday    string    `dynamodbav:"weekday,omitempty"`
	DayOfMonth int       `dynamodbav:"dayOfMonth,omitempty"`
	Time       string    `dynamodbav:"time"`
	TimeZone   string    `dynamodbav:"timeZone"`
	Period     string    `dynamodbav:"period"`
	Recipients []string  `dynamodbav:"recipients"`
	Bounced    []string  `dynamodbav:"bounced,stringset,omitempty"`
	Paused     bool      `dynamodbav:"paused"`
	NextRunAt  time.Time `dynamodbav:"nextRunAt,omitempty"`
	// The last delivery, for lists: set by the transactions that write one.
	LastDeliveryID     string    `dynamodbav:"lastDeliveryId,omitempty"`
	LastDeliveryStatus string    `dynamodbav:"lastDeliveryStatus,omitempty"`
	LastDeliveryAt     time.Time `dynamodbav:"lastDeliveryAt,omitempty"`
	CreatedBy          string    `dynamodbav:"createdBy"`
	CreatedAt          time.Time `dynamodbav:"createdAt"`
	UpdatedAt          time.Time `dynamodbav:"updatedAt"`
	Rev                int       `dynamodbav:"rev"`
}

func toScheduleItem(s domain.Schedule) scheduleItem {
	it := scheduleItem{
		key: scheduleKey(s.OrgID, s.ID), Type: "schedule", ID: s.ID, OrgID: s.OrgID,
		Name: s.Name, Kind: s.Kind, TeamID: s.TeamID, Frequency: s.Frequency, DayOfMonth: s.DayOfMonth,
		Time: s.Time, TimeZone: s.TimeZone, Period: s.Period, Recipients: s.Recipients, Bounced: s.Bounced,
		Paused: s.Paused, NextRunAt: s.NextRunAt.UTC(),
		LastDeliveryID: s.LastDeliveryID, LastDeliveryStatus: s.LastDeliveryStatus, LastDeliveryAt: s.LastDeliveryAt,
		CreatedBy: s.CreatedBy, CreatedAt: s.CreatedAt, UpdatedAt: s.UpdatedAt, Rev: s.Rev,
	}
	if s.Frequency == domain.Weekly {
		it.Weekday = domain.WeekdayName(s.Weekday)
	}
	if it.Recipients == nil {
		it.Recipients = []string{}
	}
	if !s.Paused && !s.NextRunAt.IsZero() {
		it.GSI1PK, it.GSI1SK = duePK(s.NextRunAt), dueSK(s.NextRunAt, s.OrgID, s.ID)
	}
	return it
}

func (it scheduleItem) toDomain() domain.Schedule {
	s := domain.Schedule{
		ID: it.ID, OrgID: it.OrgID, Name: it.Name, Kind: it.Kind, TeamID: it.TeamID,
		Frequency: it.Frequency, DayOfMonth: it.DayOfMonth, Time: it.Time, TimeZone: it.TimeZone, Period: it.Period,
		Recipients: it.Recipients, Bounced: it.Bounced, Paused: it.Paused, NextRunAt: it.NextRunAt,
		LastDeliveryID: it.LastDeliveryID, LastDeliveryStatus: it.LastDeliveryStatus, LastDeliveryAt: it.LastDeliveryAt,
		CreatedBy: it.CreatedBy, CreatedAt: it.CreatedAt, UpdatedAt: it.UpdatedAt, Rev: it.Rev,
	}
	for i, name := range domain.Weekdays {
		if name == it.Weekday {
			s.Weekday = time.Weekday(i)
		}
	}
	return s
}

type recipientEntry struct {
	Address string `dynamodbav:"address"`
	Status  string `dynamodbav:"status"`
	Reason  string `dynamodbav:"reason"`
}

type deliveryItem struct {
	key
	GSI1PK       string           `dynamodbav:"gsi1pk"`
	GSI1SK       string           `dynamodbav:"gsi1sk"`
	Type         string           `dynamodbav:"type"`
	ID           string           `dynamodbav:"id"`
	OrgID        string           `dynamodbav:"orgId"`
	ScheduleID   string           `dynamodbav:"scheduleId"`
	Trigger      string           `dynamodbav:"trigger"`
	ScheduledFor time.Time        `dynamodbav:"scheduledFor,omitempty"`
	From         string           `dynamodbav:"from"`
	To           string           `dynamodbav:"to"`
	Status       string           `dynamodbav:"status"`
	Rows         int              `dynamodbav:"rows"`
	Bytes        int64            `dynamodbav:"bytes"`
	Attached     bool             `dynamodbav:"attached"`
	Recipients   []recipientEntry `dynamodbav:"recipients"`
	Error        string           `dynamodbav:"error,omitempty"`
	CreatedAt    time.Time        `dynamodbav:"createdAt"`
	StartedAt    time.Time        `dynamodbav:"startedAt,omitempty"`
	FinishedAt   time.Time        `dynamodbav:"finishedAt,omitempty"`
	Attempts     int              `dynamodbav:"attempts"`
	Claim        string           `dynamodbav:"claim,omitempty"`
	HeartbeatAt  time.Time        `dynamodbav:"heartbeatAt,omitempty"`
	TTL          int64            `dynamodbav:"ttl"`
}

// deliveryTTL is when DynamoDB may delete a delivery (and its run claim):
// a week after its workbook's lifecycle rule deleted the file.
func deliveryTTL(createdAt time.Time) int64 {
	return createdAt.Add(domain.DeliveryKept + cleanupAfter).Unix()
}

func toRecipientEntries(rs []domain.DeliveryRecipient) []recipientEntry {
	out := make([]recipientEntry, len(rs))
	for i, r := range rs {
		out[i] = recipientEntry{Address: r.Address, Status: r.Status, Reason: r.Reason}
	}
	return out
}

func toDeliveryItem(d domain.Delivery) deliveryItem {
	return deliveryItem{
		key:    deliveryKey(d.OrgID, d.ScheduleID, d.ID),
		GSI1PK: deliveriesPK(d.OrgID, d.ScheduleID), GSI1SK: deliveriesSK(d.CreatedAt, d.ID),
		Type: "delivery", ID: d.ID, OrgID: d.OrgID, ScheduleID: d.ScheduleID, Trigger: d.Trigger,
		ScheduledFor: d.ScheduledFor.UTC(), From: d.From.Format(domain.DateLayout), To: d.To.Format(domain.DateLayout),
		Status: d.Status, Rows: d.Rows, Bytes: d.Bytes, Attached: d.Attached, Recipients: toRecipientEntries(d.Recipients),
		Error: d.Error, CreatedAt: d.CreatedAt, StartedAt: d.StartedAt, FinishedAt: d.FinishedAt,
		Attempts: d.Attempts, Claim: d.Claim, HeartbeatAt: d.HeartbeatAt, TTL: deliveryTTL(d.CreatedAt),
	}
}

func (it deliveryItem) toDomain() domain.Delivery {
	from, _ := time.Parse(domain.DateLayout, it.From)
	to, _ := time.Parse(domain.DateLayout, it.To)
	d := domain.Delivery{
		ID: it.ID, OrgID: it.OrgID, ScheduleID: it.ScheduleID, Trigger: it.Trigger, ScheduledFor: it.ScheduledFor,
		From: from, To: to, Status: it.Status, Rows: it.Rows, Bytes: it.Bytes, Attached: it.Attached,
		Error: it.Error, CreatedAt: it.CreatedAt, StartedAt: it.StartedAt, FinishedAt: it.FinishedAt,
		Attempts: it.Attempts, Claim: it.Claim, HeartbeatAt: it.HeartbeatAt,
	}
	for _, r := range it.Recipients {
		d.Recipients = append(d.Recipients, domain.DeliveryRecipient{Address: r.Address, Status: r.Status, Reason: r.Reason})
	}
	return d
}

// runClaimItem says that a schedule's period was delivered (by DeliveryID).
type runClaimItem struct {
	key
	Type         string    `dynamodbav:"type"`
	DeliveryID   string    `dynamodbav:"deliveryId"`
	ScheduledFor time.Time `dynamodbav:"scheduledFor"`
	CreatedAt    time.Time `dynamodbav:"createdAt"`
	TTL          int64     `dynamodbav:"ttl"`
}

type scheduleCountItem struct {
	key
	Type string `dynamodbav:"type"`
}

// CreateSchedule writes a new schedule and counts it, in one
// TransactWriteItems: the put (on condition that the id is new) and the
// organization's schedule count (ADD 1, on condition that it is below max),
// and the audit entry.
func (s *Store) CreateSchedule(ctx context.Context, sc domain.Schedule, max int, audit domain.AuditEntry) error {
	put, err := s.putNew(toScheduleItem(sc))
	if err != nil {
		return err
	}
	count, err := s.update(scheduleCountKey(sc.OrgID),
		expression.Add(expression.Name("schedules"), expression.Value(1)).Set(expression.Name("type"), expression.Value("scheduleCount")),
		expression.AttributeNotExists(expression.Name("schedules")).Or(expression.Name("schedules").LessThan(expression.Value(max))))
	if err != nil {
		return err
	}
	writes := []write{
		{put, func(map[string]types.AttributeValue) error {
			return domain.Errorf(domain.CodeConflict, "The schedule exists already.")
		}},
		{count, func(map[string]types.AttributeValue) error {
			return domain.Errorf(domain.CodeConflict, "An organization has at most %d report schedules; delete one first.", max)
		}},
	}
	entry, err := s.auditWrite(audit)
	if err != nil {
		return err
	}
	if err := s.run(ctx, append(writes, entry)); err != nil {
		return fmt.Errorf("create schedule: %w", err)
	}
	return nil
}

// FindSchedule returns one schedule of an organization: one GetItem.
func (s *Store) FindSchedule(ctx context.Context, orgID, scheduleID string) (domain.Schedule, error) {
	var it scheduleItem
	if err := s.get(ctx, scheduleKey(orgID, scheduleID), &it, "schedule"); err != nil {
		return domain.Schedule{}, err
	}
	return it.toDomain(), nil
}

// FindSchedules returns every schedule of an organization: one Query (at most
// domain.MaxSchedules items of under 2 KB, one page).
func (s *Store) FindSchedules(ctx context.Context, orgID string) ([]domain.Schedule, error) {
	found, err := s.queryPrefix(ctx, orgPK(orgID), schedulesPrefix)
	if err != nil {
		return nil, fmt.Errorf("query schedules: %w", err)
	}
	return decodeSchedules(found)
}

func decodeSchedules(found []map[string]types.AttributeValue) ([]domain.Schedule, error) {
	list := make([]domain.Schedule, 0, len(found))
	for _, av := range found {
		var it scheduleItem
		if err := attributevalue.UnmarshalMap(av, &it); err != nil {
			return nil, fmt.Errorf("decode schedule: %w", err)
		}
		list = append(list, it.toDomain())
	}
	return list, nil
}

// UpdateSchedule writes what an admin sets of a schedule, its next run and
// DUE# keys (removed while paused) and its bounced addresses on condition of
// the revision, with the audit entry: one TransactWriteItems. Its last
// delivery is not touched.
func (s *Store) UpdateSchedule(ctx context.Context, sc domain.Schedule, before int, audit domain.AuditEntry) error {
	it := toScheduleItem(sc)
	update := expression.Set(expression.Name("name"), expression.Value(it.Name)).
		Set(expression.Name("kind"), expression.Value(it.Kind)).
		Set(expression.Name("frequency"), expression.Value(it.Frequency)).
		Set(expression.Name("time"), expression.Value(it.Time)).
		Set(expression.Name("timeZone"), expression.Value(it.TimeZone)).
		Set(expression.Name("period"), expression.Value(it.Period)).
		Set(expression.Name("recipients"), expression.Value(it.Recipients)).
		Set(expression.Name("paused"), expression.Value(it.Paused)).
		Set(expression.Name("updatedAt"), expression.Value(it.UpdatedAt)).
		Set(expression.Name("rev"), expression.Value(it.Rev))
	setOrRemove := func(name string, set bool, value any) {
		if set {
			update = update.Set(expression.Name(name), expression.Value(value))
		} else {
			update = update.Remove(expression.Name(name))
		}
	}
	setOrRemove("teamId", it.TeamID != "", it.TeamID)
	setOrRemove("weekday", it.Weekday != "", it.Weekday)
	setOrRemove("dayOfMonth", it.DayOfMonth != 0, it.DayOfMonth)
	setOrRemove("nextRunAt", !it.NextRunAt.IsZero(), it.NextRunAt)
	setOrRemove(attrGSI1PK, it.GSI1PK != "", it.GSI1PK)
	setOrRemove(attrGSI1SK, it.GSI1SK != "", it.GSI1SK)
	if len(it.Bounced) > 0 {
		// A string set, so that a bounce is added with ADD, once.
		set := &types.AttributeValueMemberSS{Value: it.Bounced}
		update = update.Set(expression.Name("bounced"), expression.Value(set))
	} else {
		update = update.Remove(expression.Name("bounced"))
	}
	cond := expression.AttributeExists(expression.Name(attrPK)).And(expression.Name("rev").Equal(expression.Value(before)))
	upd, err := s.update(it.key, update, cond)
	if err != nil {
		return err
	}
	upd.Update.ReturnValuesOnConditionCheckFailure = types.ReturnValuesOnConditionCheckFailureAllOld
	entry, err := s.auditWrite(audit)
	if err != nil {
		return err
	}
	err = s.run(ctx, []write{{upd, scheduleChanged}, entry})
	if err != nil {
		return fmt.Errorf("update schedule: %w", err)
	}
	return nil
}

// scheduleChanged explains a failed condition on a schedule's revision.
func scheduleChanged(old map[string]types.AttributeValue) error {
	if old == nil {
		return domain.NotFound("schedule")
	}
	return domain.Errorf(domain.CodeConflict, "Someone changed this schedule at the same time; reload it and make your changes again.")
}

// DeleteSchedule deletes a schedule at revision rev and counts it off, with
// the audit entry, in one TransactWriteItems; not_found when there is none,
// conflict when it was saved since it was read. Its deliveries and run
// claims are left to their TTL.
func (s *Store) DeleteSchedule(ctx context.Context, orgID, scheduleID string, rev int, audit domain.AuditEntry) error {
	del, err := s.deleteItem(scheduleKey(orgID, scheduleID),
		ptr(expression.AttributeExists(expression.Name(attrPK)).And(expression.Name("rev").Equal(expression.Value(rev)))))
	if err != nil {
		return err
	}
	del.Delete.ReturnValuesOnConditionCheckFailure = types.ReturnValuesOnConditionCheckFailureAllOld
	count, err := s.update(scheduleCountKey(orgID),
		expression.Add(expression.Name("schedules"), expression.Value(-1)),
		expression.Name("schedules").GreaterThan(expression.Value(0)))
	if err != nil {
		return err
	}
	entry, err := s.auditWrite(audit)
	if err != nil {
		return err
	}
	writes := []write{
		{del, scheduleChanged},
		{count, func(map[string]types.AttributeValue) error { return domain.NotFound("schedule") }},
		entry,
	}
	if err := s.run(ctx, writes); err != nil {
		return fmt.Errorf("delete schedule: %w", err)
	}
	return nil
}

// FindDueSchedules returns the schedules whose next run is in [from, to] and
// in the UTC hour of hour: one Query of GSI1's DUE# partition of that hour
// (pattern #21), paged.
func (s *Store) FindDueSchedules(ctx context.Context, hour, from, to time.Time) ([]domain.Schedule, error) {
	expr, err := expression.NewBuilder().WithKeyCondition(
		expression.Key(attrGSI1PK).Equal(expression.Value(duePK(hour))).And(
			expression.Key(attrGSI1SK).Between(expression.Value(expiryStamp(from)), expression.Value(expiryStamp(to.Add(time.Nanosecond))))),
	).Build()
	if err != nil {
		return nil, fmt.Errorf("build due query: %w", err)
	}
	found, err := s.queryAll(ctx, &dynamodb.QueryInput{
		TableName: aws.String(s.table), IndexName: aws.String(IndexGSI1),
		KeyConditionExpression: expr.KeyCondition(), ExpressionAttributeNames: expr.Names(), ExpressionAttributeValues: expr.Values(),
	})
	if err != nil {
		return nil, fmt.Errorf("query due schedules of %s: %w", duePK(hour), err)
	}
	return decodeSchedules(found)
}

// advanceSchedule is the write that moves a schedule to its next run (and
// DUE# hour), on condition that it is still due at sc.NextRunAt and not
// paused; with a delivery, it becomes the schedule's last.
func (s *Store) advanceSchedule(sc domain.Schedule, next time.Time, d *domain.Delivery) (types.TransactWriteItem, error) {
	update := expression.Set(expression.Name("nextRunAt"), expression.Value(next.UTC())).
		Set(expression.Name(attrGSI1PK), expression.Value(duePK(next))).
		Set(expression.Name(attrGSI1SK), expression.Value(dueSK(next, sc.OrgID, sc.ID)))
	if d != nil {
		update = update.Set(expression.Name("lastDeliveryId"), expression.Value(d.ID)).
			Set(expression.Name("lastDeliveryStatus"), expression.Value(d.Status)).
			Set(expression.Name("lastDeliveryAt"), expression.Value(d.CreatedAt))
	}
	cond := expression.AttributeExists(expression.Name(attrPK)).
		And(expression.Name("nextRunAt").Equal(expression.Value(sc.NextRunAt.UTC()))).
		And(expression.Name("paused").Equal(expression.Value(false)))
	return s.update(scheduleKey(sc.OrgID, sc.ID), update, cond)
}

// ClaimRun claims a schedule's run of d's period: one TransactWriteItems
// puts the run claim (on condition that it is new) and the delivery, and
// moves the schedule to next (on condition that it is still due at
// sc.NextRunAt and not paused). When only the claim's condition failed, the
// period was delivered already: a second transaction moves the schedule on
// alone (RunDelivered). When the schedule's failed, another run or an admin
// moved it: nothing is written (RunMoved).
func (s *Store) ClaimRun(ctx context.Context, sc domain.Schedule, d domain.Delivery, next time.Time) (domain.RunClaim, error) {
	claim, err := s.putNew(runClaimItem{
		key: runClaimKey(sc.OrgID, sc.ID, d.From, d.To), Type: "runClaim",
		DeliveryID: d.ID, ScheduledFor: sc.NextRunAt.UTC(), CreatedAt: d.CreatedAt, TTL: deliveryTTL(d.CreatedAt),
	})
	if err != nil {
		return 0, err
	}
	delivery, err := s.putNew(toDeliveryItem(d))
	if err != nil {
		return 0, err
	}
	advance, err := s.advanceSchedule(sc, next, &d)
	if err != nil {
		return 0, err
	}
	reasons, err := s.transact(ctx, []types.TransactWriteItem{claim, delivery, advance})
	if err != nil {
		return 0, fmt.Errorf("claim run of schedule %s: %w", sc.ID, err)
	}
	switch {
	case reasons == nil:
		return domain.RunClaimed, nil
	case aws.ToString(reasons[2].Code) == reasonConditionFailed:
		return domain.RunMoved, nil
	case aws.ToString(reasons[0].Code) != reasonConditionFailed:
		return 0, fmt.Errorf("claim run of schedule %s: a condition failed (%v)", sc.ID, reasons)
	}
	// Delivered already (a retried or overlapping sweep that got this far
	// before): move on without mailing.
	advance, err = s.advanceSchedule(sc, next, nil)
	if err != nil {
		return 0, err
	}
	if reasons, err = s.transact(ctx, []types.TransactWriteItem{advance}); err != nil {
		return 0, fmt.Errorf("move schedule %s on: %w", sc.ID, err)
	}
	if reasons != nil {
		return domain.RunMoved, nil
	}
	return domain.RunDelivered, nil
}

// lastDeliveryWrite makes d its schedule's last delivery, on condition that
// the schedule exists.
func (s *Store) lastDeliveryWrite(d domain.Delivery) (types.TransactWriteItem, error) {
	return s.update(scheduleKey(d.OrgID, d.ScheduleID),
		expression.Set(expression.Name("lastDeliveryId"), expression.Value(d.ID)).
			Set(expression.Name("lastDeliveryStatus"), expression.Value(d.Status)).
			Set(expression.Name("lastDeliveryAt"), expression.Value(d.CreatedAt)),
		expression.AttributeExists(expression.Name(attrPK)))
}

// CreateDelivery writes a new delivery ("send now") and makes it its
// schedule's last, with the audit entry, in one TransactWriteItems;
// not_found when the schedule was deleted meanwhile.
func (s *Store) CreateDelivery(ctx context.Context, d domain.Delivery, audit domain.AuditEntry) error {
	put, err := s.putNew(toDeliveryItem(d))
	if err != nil {
		return err
	}
	last, err := s.lastDeliveryWrite(d)
	if err != nil {
		return err
	}
	writes := []write{
		{put, func(map[string]types.AttributeValue) error {
			return domain.Errorf(domain.CodeConflict, "The delivery exists already.")
		}},
		{last, func(map[string]types.AttributeValue) error { return domain.NotFound("schedule") }},
	}
	entry, err := s.auditWrite(audit)
	if err != nil {
		return err
	}
	if err := s.run(ctx, append(writes, entry)); err != nil {
		return fmt.Errorf("create delivery: %w", err)
	}
	return nil
}

// FindDelivery returns one delivery of a schedule: one GetItem.
func (s *Store) FindDelivery(ctx context.Context, orgID, scheduleID, deliveryID string) (domain.Delivery, error) {
	var it deliveryItem
	if err := s.get(ctx, deliveryKey(orgID, scheduleID, deliveryID), &it, "delivery"); err != nil {
		return domain.Delivery{}, err
	}
	return it.toDomain(), nil
}

// FindDeliveries returns a schedule's latest deliveries, newest first: one
// Query of GSI1, backwards.
func (s *Store) FindDeliveries(ctx context.Context, orgID, scheduleID string, limit int) ([]domain.Delivery, error) {
	expr, err := expression.NewBuilder().WithKeyCondition(
		expression.Key(attrGSI1PK).Equal(expression.Value(deliveriesPK(orgID, scheduleID)))).Build()
	if err != nil {
		return nil, fmt.Errorf("build delivery query: %w", err)
	}
	out, err := s.client.Query(ctx, &dynamodb.QueryInput{
		TableName: aws.String(s.table), IndexName: aws.String(IndexGSI1),
		KeyConditionExpression: expr.KeyCondition(), ExpressionAttributeNames: expr.Names(), ExpressionAttributeValues: expr.Values(),
		ScanIndexForward: aws.Bool(false), Limit: aws.Int32(int32(limit)),
	})
	if err != nil {
		return nil, fmt.Errorf("query deliveries: %w", err)
	}
	list := make([]domain.Delivery, 0, len(out.Items))
	for _, av := range out.Items {
		var it deliveryItem
		if err := attributevalue.UnmarshalMap(av, &it); err != nil {
			return nil, fmt.Errorf("decode delivery: %w", err)
		}
		list = append(list, it.toDomain())
	}
	return list, nil
}

// ClaimDelivery makes a delivery running under d.Claim and counts the
// attempt: one UpdateItem, on condition that it is pending, or running with
// a heartbeat before staleBefore (its run died); conflict otherwise. It
// returns the delivery as claimed.
func (s *Store) ClaimDelivery(ctx context.Context, d domain.Delivery, staleBefore time.Time) (domain.Delivery, error) {
	update := expression.Set(expression.Name("status"), expression.Value(domain.DeliveryRunning)).
		Set(expression.Name("claim"), expression.Value(d.Claim)).
		Set(expression.Name("heartbeatAt"), expression.Value(d.HeartbeatAt)).
		Set(expression.Name("startedAt"), expression.Value(d.StartedAt)).
		Add(expression.Name("attempts"), expression.Value(1))
	cond := expression.AttributeExists(expression.Name(attrPK)).And(
		expression.Name("status").Equal(expression.Value(domain.DeliveryPending)).Or(
			expression.Name("status").Equal(expression.Value(domain.DeliveryRunning)).
				And(expression.Name("heartbeatAt").LessThan(expression.Value(staleBefore)))))
	w, err := s.update(deliveryKey(d.OrgID, d.ScheduleID, d.ID), update, cond)
	if err != nil {
		return d, err
	}
	u := w.Update
	out, err := s.client.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName: u.TableName, Key: u.Key, UpdateExpression: u.UpdateExpression, ConditionExpression: u.ConditionExpression,
		ExpressionAttributeNames: u.ExpressionAttributeNames, ExpressionAttributeValues: u.ExpressionAttributeValues,
		ReturnValues: types.ReturnValueAllNew,
	})
	if _, ok := errors.AsType[*types.ConditionalCheckFailedException](err); ok {
		return d, domain.Errorf(domain.CodeConflict, "The delivery has moved on.")
	}
	if err != nil {
		return d, fmt.Errorf("claim delivery: %w", err)
	}
	var it deliveryItem
	if err := attributevalue.UnmarshalMap(out.Attributes, &it); err != nil {
		return d, fmt.Errorf("decode delivery: %w", err)
	}
	return it.toDomain(), nil
}

// SaveDelivery writes how a delivery went (status, rows, bytes, attached,
// recipients, error, heartbeat, finish) on condition that its claim is
// still d.Claim (conflict otherwise), and its schedule's last delivery
// status when the schedule's last delivery is still d: one
// TransactWriteItems (or, when the schedule has a newer delivery or is gone,
// the delivery's update alone).
func (s *Store) SaveDelivery(ctx context.Context, d domain.Delivery) error {
	update := expression.Set(expression.Name("status"), expression.Value(d.Status)).
		Set(expression.Name("rows"), expression.Value(d.Rows)).
		Set(expression.Name("bytes"), expression.Value(d.Bytes)).
		Set(expression.Name("attached"), expression.Value(d.Attached)).
		Set(expression.Name("recipients"), expression.Value(toRecipientEntries(d.Recipients)))
	for name, at := range map[string]time.Time{"heartbeatAt": d.HeartbeatAt, "finishedAt": d.FinishedAt, "startedAt": d.StartedAt} {
		if !at.IsZero() {
			update = update.Set(expression.Name(name), expression.Value(at))
		}
	}
	if d.Error != "" {
		update = update.Set(expression.Name("error"), expression.Value(d.Error))
	} else {
		update = update.Remove(expression.Name("error"))
	}
	cond := expression.AttributeNotExists(expression.Name("claim"))
	if d.Claim != "" {
		cond = expression.Name("claim").Equal(expression.Value(d.Claim))
	}
	own, err := s.update(deliveryKey(d.OrgID, d.ScheduleID, d.ID), update, cond.And(expression.AttributeExists(expression.Name(attrPK))))
	if err != nil {
		return err
	}
	last, err := s.update(scheduleKey(d.OrgID, d.ScheduleID),
		expression.Set(expression.Name("lastDeliveryStatus"), expression.Value(d.Status)),
		expression.Name("lastDeliveryId").Equal(expression.Value(d.ID)))
	if err != nil {
		return err
	}
	reasons, err := s.transact(ctx, []types.TransactWriteItem{own, last})
	if err != nil {
		return fmt.Errorf("save delivery: %w", err)
	}
	if reasons == nil {
		return nil
	}
	if aws.ToString(reasons[0].Code) == reasonConditionFailed {
		return domain.Errorf(domain.CodeConflict, "The delivery has moved on.")
	}
	// The schedule has a newer delivery, or was deleted: the delivery alone.
	if reasons, err = s.transact(ctx, []types.TransactWriteItem{own}); err != nil {
		return fmt.Errorf("save delivery: %w", err)
	}
	if reasons != nil {
		return domain.Errorf(domain.CodeConflict, "The delivery has moved on.")
	}
	return nil
}

// ImportSchedules writes schedules with BatchWriteItem, 25 a call, without
// their counts: for the dispatcher's benchmark and tests, never a request.
func (s *Store) ImportSchedules(ctx context.Context, schedules []domain.Schedule) error {
	requests := make([]types.WriteRequest, 0, len(schedules))
	for _, sc := range schedules {
		av, err := attributevalue.MarshalMap(toScheduleItem(sc))
		if err != nil {
			return fmt.Errorf("encode schedule: %w", err)
		}
		requests = append(requests, types.WriteRequest{PutRequest: &types.PutRequest{Item: av}})
	}
	if err := s.writeAll(ctx, requests); err != nil {
		return fmt.Errorf("import schedules: %w", err)
	}
	return nil
}
