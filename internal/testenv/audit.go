package testenv

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"proportal/internal/domain"
)

// auditEntryItem is the part of the store's audit item (dynamo.auditItem)
// the tests compare; read straight from the table so that the tests of the
// writes do not depend on the audit log's read side.
type auditEntryItem struct {
	ID         string               `dynamodbav:"id"`
	OrgID      string               `dynamodbav:"orgId"`
	At         time.Time            `dynamodbav:"at"`
	Kind       string               `dynamodbav:"kind"`
	ActorKind  string               `dynamodbav:"actorKind"`
	ActorID    string               `dynamodbav:"actorId"`
	ActorName  string               `dynamodbav:"actorName"`
	ActorEmail string               `dynamodbav:"actorEmail"`
	TargetKind string               `dynamodbav:"targetKind"`
	TargetID   string               `dynamodbav:"targetId"`
	TargetName string               `dynamodbav:"targetName"`
	TargetMail string               `dynamodbav:"targetEmail"`
	Changes    []domain.AuditChange `dynamodbav:"changes"`
	Source     string               `dynamodbav:"source"`
	SeatDelta  int                  `dynamodbav:"seatDelta"`
	Via        string               `dynamodbav:"via"`
	Detail     string               `dynamodbav:"detail"`
}

// AuditEntries returns every audit entry of an organization on table,
// oldest first (the order of their sort key), read with Query (not counted
// in the test's calls when client is not the counted one).
func AuditEntries(tb testing.TB, client *dynamodb.Client, table, orgID string) []domain.AuditEntry {
	tb.Helper()
	in := &dynamodb.QueryInput{
		TableName:              aws.String(table),
		KeyConditionExpression: aws.String("pk = :pk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": &types.AttributeValueMemberS{Value: "ORG#" + orgID + "#AUDIT"},
		},
		ConsistentRead: aws.Bool(true),
	}
	var out []domain.AuditEntry
	for p := dynamodb.NewQueryPaginator(client, in); p.HasMorePages(); {
		page, err := p.NextPage(context.Background())
		if err != nil {
			tb.Fatalf("testenv: read audit entries of %s: %v", orgID, err)
		}
		var items []auditEntryItem
		if err := attributevalue.UnmarshalListOfMaps(page.Items, &items); err != nil {
			tb.Fatalf("testenv: decode audit entries: %v", err)
		}
		for _, it := range items {
			out = append(out, domain.AuditEntry{
				ID: it.ID, OrgID: it.OrgID, At: it.At, Kind: it.Kind,
				Actor:   domain.AuditActor{Kind: it.ActorKind, ID: it.ActorID, Name: it.ActorName, Email: it.ActorEmail},
				Target:  domain.AuditTarget{Kind: it.TargetKind, ID: it.TargetID, Name: it.TargetName, Email: it.TargetMail},
				Changes: it.Changes, Source: it.Source, SeatDelta: it.SeatDelta, Via: it.Via, Detail: it.Detail,
			})
		}
	}
	return out
}

// AuditKinds are the kinds of entries, in order.
func AuditKinds(entries []domain.AuditEntry) []string {
	out := make([]string, len(entries))
	for i, e := range entries {
		out[i] = e.Kind
	}
	return out
}

// Entry is an audit entry of the operator tool's for a fixture's change
// made through a store method that takes one.
func Entry(orgID, kind string) domain.AuditEntry {
	return domain.AuditEntry{
		ID: domain.NewID(), OrgID: orgID, At: time.Now().UTC(), Kind: kind, Actor: domain.OperatorActor(),
		Target: domain.AuditTarget{Kind: strings.SplitN(kind, ".", 2)[0], ID: "fixture"},
	}
}

// AnyEntry is Entry in an organization of its own: for a fixture's change
// whose entry no test reads.
func AnyEntry(kind string) domain.AuditEntry { return Entry(domain.NewID(), kind) }
