package moto_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"proportal/internal/moto"
)

// TestTransactionsStillRollBack: the server moto.Start runs (with its
// transactions' table copy taken once per call, server.py) keeps
// DynamoDB's all-or-nothing: a transaction of 100 puts on a table of a few
// thousand items lands whole, and one whose last condition fails leaves no
// trace of its other 99.
func TestTransactionsStillRollBack(t *testing.T) {
	ctx := context.Background()
	db := startDynamoDB(t)
	table := aws.String("rollback")
	if _, err := db.CreateTable(ctx, &dynamodb.CreateTableInput{
		TableName: table, BillingMode: types.BillingModePayPerRequest,
		KeySchema:            []types.KeySchemaElement{{AttributeName: aws.String("pk"), KeyType: types.KeyTypeHash}},
		AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String("pk"), AttributeType: types.ScalarAttributeTypeS}},
	}); err != nil {
		t.Fatalf("CreateTable: %v", err)
	}
	item := func(pk string) map[string]types.AttributeValue {
		return map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: pk}}
	}
	for i := 0; i < 2000; i += 25 {
		var puts []types.WriteRequest
		for j := i; j < i+25; j++ {
			puts = append(puts, types.WriteRequest{PutRequest: &types.PutRequest{Item: item(fmt.Sprintf("old-%d", j))}})
		}
		if _, err := db.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: map[string][]types.WriteRequest{*table: puts}}); err != nil {
			t.Fatalf("BatchWriteItem: %v", err)
		}
	}
	puts := func(prefix string) []types.TransactWriteItem {
		var w []types.TransactWriteItem
		for i := range 100 {
			w = append(w, types.TransactWriteItem{Put: &types.Put{TableName: table, Item: item(fmt.Sprintf("%s-%d", prefix, i))}})
		}
		return w
	}
	if _, err := db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: puts("whole")}); err != nil {
		t.Fatalf("TransactWriteItems of 100 puts: %v", err)
	}
	failing := puts("half")
	// It also changes and deletes items that exist: both come back.
	failing[97] = types.TransactWriteItem{Update: &types.Update{TableName: table, Key: item("old-3"),
		UpdateExpression:          aws.String("SET n = :n"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":n": &types.AttributeValueMemberN{Value: "1"}}}}
	failing[98] = types.TransactWriteItem{Delete: &types.Delete{TableName: table, Key: item("old-5")}}
	failing[99].Put.Item = item("old-7")
	failing[99].Put.ConditionExpression = aws.String("attribute_not_exists(pk)")
	_, err := db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: failing})
	if _, ok := errors.AsType[*types.TransactionCanceledException](err); !ok {
		t.Fatalf("TransactWriteItems with a failing condition: %v, want TransactionCanceledException", err)
	}
	for _, tt := range []struct {
		pk   string
		want bool
	}{{"whole-0", true}, {"whole-99", true}, {"half-0", false}, {"half-96", false}, {"old-5", true}, {"old-7", true}} {
		out, err := db.GetItem(ctx, &dynamodb.GetItemInput{TableName: table, Key: item(tt.pk)})
		if err != nil {
			t.Fatalf("GetItem %s: %v", tt.pk, err)
		}
		if got := out.Item != nil; got != tt.want {
			t.Errorf("item %s stored: %v, want %v", tt.pk, got, tt.want)
		}
	}
	out, err := db.GetItem(ctx, &dynamodb.GetItemInput{TableName: table, Key: item("old-3")})
	if err != nil || out.Item == nil || out.Item["n"] != nil {
		t.Errorf("old-3 after the failed update: %v, %v; want it as it was", out.Item, err)
	}
}

// TestQueriesAnswerAsBefore: the server's queries (a table's partition read
// alone, an index's items unsorted before the query sorts them, server.py)
// answer the same items in the same order, page by page, as DynamoDB would.
func TestQueriesAnswerAsBefore(t *testing.T) {
	ctx := context.Background()
	db := startDynamoDB(t)
	table := aws.String("queries")
	s := func(v string) *string { return aws.String(v) }
	if _, err := db.CreateTable(ctx, &dynamodb.CreateTableInput{
		TableName: table, BillingMode: types.BillingModePayPerRequest,
		KeySchema: []types.KeySchemaElement{{AttributeName: s("pk"), KeyType: types.KeyTypeHash}, {AttributeName: s("sk"), KeyType: types.KeyTypeRange}},
		AttributeDefinitions: []types.AttributeDefinition{
			{AttributeName: s("pk"), AttributeType: types.ScalarAttributeTypeS}, {AttributeName: s("sk"), AttributeType: types.ScalarAttributeTypeS},
			{AttributeName: s("g"), AttributeType: types.ScalarAttributeTypeS}, {AttributeName: s("gs"), AttributeType: types.ScalarAttributeTypeS}},
		GlobalSecondaryIndexes: []types.GlobalSecondaryIndex{{IndexName: s("g"),
			KeySchema:  []types.KeySchemaElement{{AttributeName: s("g"), KeyType: types.KeyTypeHash}, {AttributeName: s("gs"), KeyType: types.KeyTypeRange}},
			Projection: &types.Projection{ProjectionType: types.ProjectionTypeAll}}},
	}); err != nil {
		t.Fatalf("CreateTable: %v", err)
	}
	str := func(v string) types.AttributeValue { return &types.AttributeValueMemberS{Value: v} }
	// Written out of order: partitions p0..p4, sort keys 00..39; index
	// partition by sort key parity, with ties on gs (every 4 share one).
	for i := 39; i >= 0; i-- {
		for p := range 5 {
			if _, err := db.PutItem(ctx, &dynamodb.PutItemInput{TableName: table, Item: map[string]types.AttributeValue{
				"pk": str(fmt.Sprintf("p%d", p)), "sk": str(fmt.Sprintf("%02d", i)),
				"g": str(fmt.Sprintf("g%d", i%2)), "gs": str(fmt.Sprintf("%02d", i/4)),
			}}); err != nil {
				t.Fatalf("PutItem: %v", err)
			}
		}
	}
	pages := func(in *dynamodb.QueryInput) []string {
		t.Helper()
		var got []string
		for {
			out, err := db.Query(ctx, in)
			if err != nil {
				t.Fatalf("Query: %v", err)
			}
			for _, it := range out.Items {
				got = append(got, it["pk"].(*types.AttributeValueMemberS).Value+"/"+it["sk"].(*types.AttributeValueMemberS).Value)
			}
			if out.LastEvaluatedKey == nil {
				return got
			}
			in.ExclusiveStartKey = out.LastEvaluatedKey
		}
	}
	var want []string
	for i := 39; i >= 10; i-- {
		want = append(want, fmt.Sprintf("p3/%02d", i))
	}
	got := pages(&dynamodb.QueryInput{TableName: table, Limit: aws.Int32(7), ScanIndexForward: aws.Bool(false),
		KeyConditionExpression:    s("pk = :p AND sk >= :from"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":p": str("p3"), ":from": str("10")}})
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("table query, pages of 7, newest first:\n got %v\nwant %v", got, want)
	}
	want = nil
	for gs := range 10 {
		for p := range 5 {
			for i := gs * 4; i < gs*4+4; i++ {
				if i%2 == 1 {
					want = append(want, fmt.Sprintf("p%d/%02d", p, i))
				}
			}
		}
	}
	got = pages(&dynamodb.QueryInput{TableName: table, IndexName: s("g"), Limit: aws.Int32(9),
		KeyConditionExpression:    s("g = :g"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":g": str("g1")}})
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("index query, pages of 9 (ties broken by the table's keys):\n got %v\nwant %v", got, want)
	}
}

// startDynamoDB runs the server moto.Start runs, for this test alone, and
// returns a DynamoDB client of it.
func startDynamoDB(t *testing.T) *dynamodb.Client {
	t.Helper()
	if testing.Short() {
		t.Skip("starts its own moto_server")
	}
	ctx := context.Background()
	srv, err := moto.Start(ctx, nil)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(srv.Stop)
	cfg, err := config.LoadDefaultConfig(ctx, config.WithRegion("us-east-1"), config.WithBaseEndpoint(srv.URL),
		config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("test", "test", "")))
	if err != nil {
		t.Fatalf("LoadDefaultConfig: %v", err)
	}
	return dynamodb.NewFromConfig(cfg)
}
