package dynamo

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"proportal/internal/domain"
)

var _ domain.ImportStore = (*Store)(nil)

// importItem is an upload's record: its dry run's figures, its status and
// progress. Its plan is in part items, each row's result in a marker item.
type importItem struct {
	key
	Type        string         `dynamodbav:"type"`
	ID          string         `dynamodbav:"id"`
	OrgID       string         `dynamodbav:"orgId"`
	FileName    string         `dynamodbav:"fileName"`
	Status      string         `dynamodbav:"status"`
	Header      []string       `dynamodbav:"header"`
	Separator   string         `dynamodbav:"separator"`
	Total       int            `dynamodbav:"total"`
	Done        int            `dynamodbav:"done"`
	Counts      map[string]int `dynamodbav:"counts"`
	Results     map[string]int `dynamodbav:"results,omitempty"`
	SeatsNeeded int            `dynamodbav:"seatsNeeded"`
	SeatsFreed  int            `dynamodbav:"seatsFreed"`
	SeatsFree   int            `dynamodbav:"seatsFree"`
	SeatsTotal  int            `dynamodbav:"seatsTotal"`
	Parts       []int          `dynamodbav:"parts"`
	CreatedBy   string         `dynamodbav:"createdBy"`
	CreatedAt   time.Time      `dynamodbav:"createdAt"`
	AppliedBy   string         `dynamodbav:"appliedBy,omitempty"`
	AppliedAt   time.Time      `dynamodbav:"appliedAt,omitempty"`
	AppliedFrom string         `dynamodbav:"appliedFrom,omitempty"`
	FinishedAt  time.Time      `dynamodbav:"finishedAt,omitempty"`
	Error       string         `dynamodbav:"error,omitempty"`
	TTL         int64          `dynamodbav:"ttl"`
}

// importPartItem holds up to ImportPageRows rows of a plan, as gzipped JSON.
type importPartItem struct {
	key
	Type  string `dynamodbav:"type"`
	First int    `dynamodbav:"first"`
	Rows  []byte `dynamodbav:"rows"`
	TTL   int64  `dynamodbav:"ttl"`
}

// importMarkItem is a row's result; its existence says the row was done.
type importMarkItem struct {
	key
	Type    string    `dynamodbav:"type"`
	Row     int       `dynamodbav:"row"`
	Result  string    `dynamodbav:"result"`
	Message string    `dynamodbav:"message,omitempty"`
	UserID  string    `dynamodbav:"userId,omitempty"`
	At      time.Time `dynamodbav:"at"`
	TTL     int64     `dynamodbav:"ttl"`
}

// importRowJSON is a planned row inside a part.
type importRowJSON struct {
	Row       int                    `json:"r"`
	Line      int                    `json:"l"`
	Cells     []string               `json:"c"`
	FirstName string                 `json:"fn,omitempty"`
	LastName  string                 `json:"ln,omitempty"`
	Email     string                 `json:"e,omitempty"`
	Access    string                 `json:"a,omitempty"`
	Team      string                 `json:"t,omitempty"`
	Action    string                 `json:"ac,omitempty"`
	TeamID    string                 `json:"ti,omitempty"`
	UserID    string                 `json:"u,omitempty"`
	Outcome   string                 `json:"o"`
	Detail    string                 `json:"d,omitempty"`
	SeatDelta int                    `json:"s,omitempty"`
	Error     *domain.ImportRowError `json:"err,omitempty"`
}

// importPartBytes bounds a part's JSON before gzip, so that an item stays
// under DynamoDB's 400 KB even when nothing compresses.
const importPartBytes = 350_000

// importTTL is when an import's items are cleaned up: a week after it is
// kept (domain.ImportKept).
func importTTL(createdAt time.Time) int64 {
	return createdAt.Add(domain.ImportKept + 7*24*time.Hour).Unix()
}

func toImportItem(imp domain.Import) importItem {
	return importItem{
		key: importKey(imp.OrgID, imp.ID), Type: "import", ID: imp.ID, OrgID: imp.OrgID, FileName: imp.FileName,
		Status: imp.Status, Header: imp.Header, Separator: imp.Separator, Total: imp.Total, Done: imp.Done,
		Counts: imp.Counts, Results: imp.Results,
		SeatsNeeded: imp.Seats.Needed, SeatsFreed: imp.Seats.Freed, SeatsFree: imp.Seats.Free, SeatsTotal: imp.Seats.Total,
		Parts: imp.Parts, CreatedBy: imp.CreatedBy, CreatedAt: imp.CreatedAt, AppliedBy: imp.AppliedBy,
		AppliedAt: imp.AppliedAt, AppliedFrom: imp.AppliedFrom, FinishedAt: imp.FinishedAt, Error: imp.Error,
		TTL: importTTL(imp.CreatedAt),
	}
}

func (it importItem) toDomain() domain.Import {
	seats := domain.ImportSeats{Needed: it.SeatsNeeded, Freed: it.SeatsFreed, Free: it.SeatsFree, Total: it.SeatsTotal}
	seats.Fits = seats.Needed-seats.Freed <= seats.Free
	return domain.Import{
		ID: it.ID, OrgID: it.OrgID, FileName: it.FileName, Status: it.Status, Header: it.Header,
		Separator: it.Separator, Total: it.Total, Done: it.Done, Counts: it.Counts, Results: it.Results,
		Seats: seats, Parts: it.Parts, CreatedBy: it.CreatedBy, CreatedAt: it.CreatedAt,
		AppliedBy: it.AppliedBy, AppliedAt: it.AppliedAt, AppliedFrom: it.AppliedFrom,
		FinishedAt: it.FinishedAt, Error: it.Error,
	}
}

func toRowJSON(r domain.ImportRow) importRowJSON {
	return importRowJSON{
		Row: r.Row, Line: r.Line, Cells: r.Cells, FirstName: r.FirstName, LastName: r.LastName, Email: r.Email,
		Access: r.Access, Team: r.Team, Action: r.Action, TeamID: r.TeamID, UserID: r.UserID,
		Outcome: r.Outcome, Detail: r.Detail, SeatDelta: r.SeatDelta, Error: r.Error,
	}
}

func (j importRowJSON) toDomain() domain.ImportRow {
	return domain.ImportRow{
		Row: j.Row, Line: j.Line, Cells: j.Cells, FirstName: j.FirstName, LastName: j.LastName, Email: j.Email,
		Access: j.Access, Team: j.Team, Action: j.Action, TeamID: j.TeamID, UserID: j.UserID,
		Outcome: j.Outcome, Detail: j.Detail, SeatDelta: j.SeatDelta, Error: j.Error,
	}
}

// splitParts cuts a plan into parts of at most domain.ImportPageRows rows
// and importPartBytes of JSON, each gzipped.
func splitParts(rows []domain.ImportRow) (firsts []int, parts [][]byte, err error) {
	var cur []json.RawMessage
	size := 0
	flush := func() error {
		if len(cur) == 0 {
			return nil
		}
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		if err := json.NewEncoder(zw).Encode(cur); err != nil {
			return fmt.Errorf("encode import part: %w", err)
		}
		if err := zw.Close(); err != nil {
			return fmt.Errorf("compress import part: %w", err)
		}
		parts = append(parts, buf.Bytes())
		cur, size = nil, 0
		return nil
	}
	for _, r := range rows {
		b, err := json.Marshal(toRowJSON(r))
		if err != nil {
			return nil, nil, fmt.Errorf("encode import row %d: %w", r.Row, err)
		}
		if len(cur) > 0 && (len(cur) >= domain.ImportPageRows || size+len(b) > importPartBytes) {
			if err := flush(); err != nil {
				return nil, nil, err
			}
		}
		if len(cur) == 0 {
			firsts = append(firsts, r.Row)
		}
		cur, size = append(cur, b), size+len(b)+1
	}
	if err := flush(); err != nil {
		return nil, nil, err
	}
	return firsts, parts, nil
}

func readPart(it importPartItem) ([]domain.ImportRow, error) {
	zr, err := gzip.NewReader(bytes.NewReader(it.Rows))
	if err != nil {
		return nil, fmt.Errorf("read import part: %w", err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		return nil, fmt.Errorf("read import part: %w", err)
	}
	var rows []importRowJSON
	if err := json.Unmarshal(b, &rows); err != nil {
		return nil, fmt.Errorf("decode import part: %w", err)
	}
	out := make([]domain.ImportRow, len(rows))
	for i, r := range rows {
		out[i] = r.toDomain()
	}
	return out, nil
}

// CreateImport stores a dry run: the record and its plan's parts, in one
// transaction (a plan of 5,000 rows is some ten parts).
func (s *Store) CreateImport(ctx context.Context, imp domain.Import, rows []domain.ImportRow) (domain.Import, error) {
	firsts, parts, err := splitParts(rows)
	if err != nil {
		return domain.Import{}, err
	}
	if len(parts) > 99 {
		return domain.Import{}, fmt.Errorf("create import: %d parts, more than a transaction holds", len(parts))
	}
	imp.Parts = firsts
	rec, err := s.putNew(toImportItem(imp))
	if err != nil {
		return domain.Import{}, err
	}
	writes := []write{{item: rec}}
	for i, p := range parts {
		w, err := s.putNew(importPartItem{key: importPartKey(imp.OrgID, imp.ID, i), Type: "importPart", First: firsts[i], Rows: p, TTL: importTTL(imp.CreatedAt)})
		if err != nil {
			return domain.Import{}, err
		}
		writes = append(writes, write{item: w})
	}
	if err := s.run(ctx, writes); err != nil {
		return domain.Import{}, fmt.Errorf("create import: %w", err)
	}
	return imp, nil
}

// FindImport returns an import of an organization.
func (s *Store) FindImport(ctx context.Context, orgID, importID string) (domain.Import, error) {
	var it importItem
	if err := s.get(ctx, importKey(orgID, importID), &it, "import"); err != nil {
		return domain.Import{}, err
	}
	return it.toDomain(), nil
}

// FindImportRows returns the rows of one part of an import's plan with the
// results of those applied: one GetItem, and one Query of the part's
// markers once the import is applied.
func (s *Store) FindImportRows(ctx context.Context, imp domain.Import, part int) ([]domain.ImportRow, error) {
	var it importPartItem
	if err := s.get(ctx, importPartKey(imp.OrgID, imp.ID, part), &it, "import part"); err != nil {
		return nil, err
	}
	rows, err := readPart(it)
	if err != nil || imp.Status == domain.ImportDryRun || len(rows) == 0 {
		return rows, err
	}
	marks, err := s.importMarks(ctx, imp, expression.Key(attrSK).Between(
		expression.Value(importRowSK(rows[0].Row)), expression.Value(importRowSK(rows[len(rows)-1].Row))))
	if err != nil {
		return nil, err
	}
	return withResults(rows, marks), nil
}

// FindImportPlan returns every row of an import with the results of those
// applied: one Query of the parts and one of the markers (a page each per
// MB).
func (s *Store) FindImportPlan(ctx context.Context, imp domain.Import) ([]domain.ImportRow, error) {
	var rows []domain.ImportRow
	err := s.eachItem(ctx, importPK(imp.OrgID, imp.ID), expression.Key(attrSK).BeginsWith(importPartPrefix), func(av map[string]types.AttributeValue) error {
		var it importPartItem
		if err := attributevalue.UnmarshalMap(av, &it); err != nil {
			return fmt.Errorf("decode import part: %w", err)
		}
		part, err := readPart(it)
		rows = append(rows, part...)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("read import plan: %w", err)
	}
	marks, err := s.importMarks(ctx, imp, expression.Key(attrSK).BeginsWith(importRowPrefix))
	if err != nil {
		return nil, err
	}
	return withResults(rows, marks), nil
}

func withResults(rows []domain.ImportRow, marks map[int]importMarkItem) []domain.ImportRow {
	for i := range rows {
		if m, ok := marks[rows[i].Row]; ok {
			rows[i].Result, rows[i].ResultMessage = m.Result, m.Message
			if m.UserID != "" {
				rows[i].UserID = m.UserID
			}
		}
	}
	return rows
}

// importMarks reads an import's row markers in a range of sort keys.
func (s *Store) importMarks(ctx context.Context, imp domain.Import, sk expression.KeyConditionBuilder) (map[int]importMarkItem, error) {
	marks := map[int]importMarkItem{}
	err := s.eachItem(ctx, importPK(imp.OrgID, imp.ID), sk, func(av map[string]types.AttributeValue) error {
		var m importMarkItem
		if err := attributevalue.UnmarshalMap(av, &m); err != nil {
			return fmt.Errorf("decode import row: %w", err)
		}
		marks[m.Row] = m
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read import rows done: %w", err)
	}
	return marks, nil
}

// eachItem runs a Query of the table, every page, handing each item to fn.
func (s *Store) eachItem(ctx context.Context, pk string, sk expression.KeyConditionBuilder, fn func(map[string]types.AttributeValue) error) error {
	expr, err := expression.NewBuilder().WithKeyCondition(expression.Key(attrPK).Equal(expression.Value(pk)).And(sk)).Build()
	if err != nil {
		return fmt.Errorf("build query: %w", err)
	}
	p := dynamodb.NewQueryPaginator(s.client, &dynamodb.QueryInput{
		TableName: aws.String(s.table), KeyConditionExpression: expr.KeyCondition(),
		ExpressionAttributeNames: expr.Names(), ExpressionAttributeValues: expr.Values(),
	})
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			return err
		}
		for _, av := range out.Items {
			if err := fn(av); err != nil {
				return err
			}
		}
	}
	return nil
}

// StartImport makes a dry run applying, with its audit entry, in one
// transaction: on condition that it is still a dry run (import_applied).
func (s *Store) StartImport(ctx context.Context, imp domain.Import, notBefore time.Time, audit domain.AuditEntry) error {
	update := expression.Set(expression.Name("status"), expression.Value(domain.ImportApplying)).
		Set(expression.Name("appliedBy"), expression.Value(imp.AppliedBy)).
		Set(expression.Name("appliedAt"), expression.Value(imp.AppliedAt)).
		Set(expression.Name("appliedFrom"), expression.Value(imp.AppliedFrom))
	cond := expression.AttributeExists(expression.Name(attrPK)).
		And(expression.Name("status").Equal(expression.Value(domain.ImportDryRun)))
	item, err := s.update(importKey(imp.OrgID, imp.ID), update, cond)
	if err != nil {
		return err
	}
	item.Update.ReturnValuesOnConditionCheckFailure = types.ReturnValuesOnConditionCheckFailureAllOld
	entry, err := s.auditWrite(audit)
	if err != nil {
		return err
	}
	return s.run(ctx, []write{{item, func(old map[string]types.AttributeValue) error {
		if old == nil {
			return domain.NotFound("import")
		}
		return domain.Errorf(domain.CodeImportApplied, "This upload has been applied already; upload the file again for a new dry run.")
	}}, entry})
}

// progressWrite adds n rows done to an applying import.
func (s *Store) progressWrite(imp domain.Import, n int) (write, error) {
	item, err := s.update(importKey(imp.OrgID, imp.ID),
		expression.Add(expression.Name("done"), expression.Value(n)),
		expression.Name("status").Equal(expression.Value(domain.ImportApplying)))
	if err != nil {
		return write{}, err
	}
	return write{item, func(map[string]types.AttributeValue) error {
		return domain.Errorf(domain.CodeConflict, "The import is no longer being applied.")
	}}, nil
}

func (s *Store) markWrite(imp domain.Import, row domain.ImportRow, at time.Time) (write, error) {
	item, err := s.putNew(importMarkItem{
		key: importRowKey(imp.OrgID, imp.ID, row.Row), Type: "importRow", Row: row.Row,
		Result: row.Result, Message: row.ResultMessage, UserID: row.UserID, At: at, TTL: importTTL(imp.CreatedAt),
	})
	if err != nil {
		return write{}, err
	}
	return write{item, func(map[string]types.AttributeValue) error { return domain.ErrRowDone }}, nil
}

// ApplyImportRow writes a row's change with its audit entry, the row's
// marker and the import's progress, in one transaction.
func (s *Store) ApplyImportRow(ctx context.Context, imp domain.Import, row domain.ImportRow, change *domain.UserChange) error {
	var writes []write
	if change != nil {
		w, err := s.userWrites(*change, true)
		if err != nil {
			return err
		}
		writes = w
	}
	mark, err := s.markWrite(imp, row, time.Now().UTC())
	if err != nil {
		return err
	}
	progress, err := s.progressWrite(imp, 1)
	if err != nil {
		return err
	}
	return s.run(ctx, append(writes, mark, progress))
}

// MarkImportRows writes the results of rows that change nothing, with the
// import's progress, in one transaction.
func (s *Store) MarkImportRows(ctx context.Context, imp domain.Import, rows []domain.ImportRow) error {
	if len(rows) > 99 {
		return fmt.Errorf("mark import rows: %d rows, more than a transaction holds", len(rows))
	}
	now := time.Now().UTC()
	writes := make([]write, 0, len(rows)+1)
	for _, r := range rows {
		w, err := s.markWrite(imp, r, now)
		if err != nil {
			return err
		}
		writes = append(writes, w)
	}
	progress, err := s.progressWrite(imp, len(rows))
	if err != nil {
		return err
	}
	return s.run(ctx, append(writes, progress))
}

// FinishImport saves an import's end, on condition that it is applying.
func (s *Store) FinishImport(ctx context.Context, imp domain.Import) error {
	update := expression.Set(expression.Name("status"), expression.Value(imp.Status)).
		Set(expression.Name("finishedAt"), expression.Value(imp.FinishedAt)).
		Set(expression.Name("done"), expression.Value(imp.Done))
	if imp.Results != nil {
		update = update.Set(expression.Name("results"), expression.Value(imp.Results))
	}
	if imp.Error != "" {
		update = update.Set(expression.Name("error"), expression.Value(imp.Error))
	}
	item, err := s.update(importKey(imp.OrgID, imp.ID), update,
		expression.Name("status").Equal(expression.Value(domain.ImportApplying)))
	if err != nil {
		return err
	}
	_, err = s.client.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName: item.Update.TableName, Key: item.Update.Key, UpdateExpression: item.Update.UpdateExpression,
		ConditionExpression: item.Update.ConditionExpression, ExpressionAttributeNames: item.Update.ExpressionAttributeNames,
		ExpressionAttributeValues: item.Update.ExpressionAttributeValues,
	})
	if _, failed := errors.AsType[*types.ConditionalCheckFailedException](err); failed {
		return domain.Errorf(domain.CodeConflict, "The import is no longer being applied.")
	}
	if err != nil {
		return fmt.Errorf("finish import: %w", err)
	}
	return nil
}

// FindUsersByEmail returns the people with these normalized emails, in
// whichever organization, by email: one BatchGetItem per 100 emails, then
// one per 100 people found (in parallel batches).
func (s *Store) FindUsersByEmail(ctx context.Context, emails []string) (map[string]domain.User, error) {
	var mu sync.Mutex
	var found []emailItem
	err := inBatches(ctx, len(emails), batchGetSize, func(ctx context.Context, lo, hi int) error {
		keys := make([]map[string]types.AttributeValue, 0, hi-lo)
		for _, e := range emails[lo:hi] {
			k, err := marshalKey(emailKey(e))
			if err != nil {
				return err
			}
			keys = append(keys, k)
		}
		items, err := s.batchGet(ctx, keys)
		if err != nil {
			return err
		}
		mu.Lock()
		defer mu.Unlock()
		for _, av := range items {
			var it emailItem
			if err := attributevalue.UnmarshalMap(av, &it); err != nil {
				return fmt.Errorf("decode email: %w", err)
			}
			found = append(found, it)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("find users by email: %w", err)
	}
	out := make(map[string]domain.User, len(found))
	err = inBatches(ctx, len(found), batchGetSize, func(ctx context.Context, lo, hi int) error {
		keys := make([]map[string]types.AttributeValue, 0, hi-lo)
		for _, e := range found[lo:hi] {
			k, err := marshalKey(userKey(e.OrgID, e.UserID))
			if err != nil {
				return err
			}
			keys = append(keys, k)
		}
		items, err := s.batchGet(ctx, keys)
		if err != nil {
			return err
		}
		mu.Lock()
		defer mu.Unlock()
		for _, av := range items {
			var it userItem
			if err := attributevalue.UnmarshalMap(av, &it); err != nil {
				return fmt.Errorf("decode user: %w", err)
			}
			out[it.Email] = it.toDomain()
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("find users by email: %w", err)
	}
	return out, nil
}
