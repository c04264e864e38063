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
	db := dynamodb.NewFromConfig(cfg)
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
	failing[99].Put.Item = item("old-7")
	failing[99].Put.ConditionExpression = aws.String("attribute_not_exists(pk)")
	_, err = db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: failing})
	if _, ok := errors.AsType[*types.TransactionCanceledException](err); !ok {
		t.Fatalf("TransactWriteItems with a failing condition: %v, want TransactionCanceledException", err)
	}
	for _, tt := range []struct {
		pk   string
		want bool
	}{{"whole-0", true}, {"whole-99", true}, {"half-0", false}, {"half-98", false}, {"old-7", true}} {
		out, err := db.GetItem(ctx, &dynamodb.GetItemInput{TableName: table, Key: item(tt.pk)})
		if err != nil {
			t.Fatalf("GetItem %s: %v", tt.pk, err)
		}
		if got := out.Item != nil; got != tt.want {
			t.Errorf("item %s stored: %v, want %v", tt.pk, got, tt.want)
		}
	}
}
