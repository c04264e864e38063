package dynamo_test

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"proportal/internal/domain"
)

// Users stored before the full-name and domain terms existed are found by
// them once their organization's search is rebuilt.
func TestRebuildSearch(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	o, _, _ := e.createOrg(t, 10, "grace@acme.example")
	u := user(o.ID, "ada@acme.example", true)
	if err := e.store.CreateUser(ctx, u, nil); err != nil {
		t.Fatalf("CreateUser: %v", err)
	}
	// Make the user look as older data does: only the single-word terms.
	expr, err := expression.NewBuilder().WithKeyCondition(expression.Key("pk").Equal(expression.Value("ORG#" + o.ID + "#SEARCH"))).Build()
	if err != nil {
		t.Fatal(err)
	}
	out, err := e.client.Query(ctx, &dynamodb.QueryInput{
		TableName: aws.String(e.table), KeyConditionExpression: expr.KeyCondition(),
		ExpressionAttributeNames: expr.Names(), ExpressionAttributeValues: expr.Values(),
	})
	if err != nil {
		t.Fatal(err)
	}
	dropped := 0
	for _, item := range out.Items {
		var key struct {
			PK string `dynamodbav:"pk"`
			SK string `dynamodbav:"sk"`
		}
		if err := attributevalue.UnmarshalMap(item, &key); err != nil {
			t.Fatal(err)
		}
		if term, _, _ := strings.Cut(key.SK, "\x1f"); strings.Contains(term, " ") || strings.HasPrefix(term, "acme.example") {
			km, _ := attributevalue.MarshalMap(key)
			if _, err := e.client.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: aws.String(e.table), Key: km}); err != nil {
				t.Fatal(err)
			}
			dropped++
		}
	}
	if dropped == 0 {
		t.Fatal("the user has no full-name or domain terms to drop: the test tests nothing")
	}
	find := func(q string) int {
		t.Helper()
		users, _, err := e.store.FindUsers(ctx, o.ID, domain.UserQuery{Status: domain.FilterAll, Prefix: q, Limit: 50})
		if err != nil {
			t.Fatalf("FindUsers %q: %v", q, err)
		}
		return len(users)
	}
	if n := find("ada lov"); n != 0 {
		t.Fatalf("found %d by full name before the rebuild; the old data was not made", n)
	}

	n, err := e.store.RebuildSearch(ctx, o.ID)
	if err != nil {
		t.Fatalf("RebuildSearch: %v", err)
	}
	if n != 2 { // the admin and Ada
		t.Errorf("RebuildSearch covered %d users, want 2", n)
	}
	for _, q := range []string{"ada lov", "lovelace ada", "acme.example", "ada"} {
		if got := find(q); got == 0 {
			t.Errorf("%q finds nobody after the rebuild", q)
		}
	}
}
