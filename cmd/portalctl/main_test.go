package main

import (
	"bytes"
	"context"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"proportal/internal/domain"
	"proportal/internal/testenv"
)

func TestMain(m *testing.M) { os.Exit(testenv.Main(m)) }

// useTable points portalctl at a fresh table and returns a client on it.
func useTable(t *testing.T) (*dynamodb.Client, string) {
	t.Helper()
	cfg, _ := testenv.AWSConfig(t)
	client := dynamodb.NewFromConfig(cfg)
	table := testenv.NewTable(t, client)
	t.Setenv("TABLE_NAME", table)
	t.Setenv("PORTAL_BASE_URL", "https://portal.example.com")
	return client, table
}

func TestCreateOrgPrintsOneTimeInviteLink(t *testing.T) {
	client, table := useTable(t)
	var out, errOut bytes.Buffer
	err := run(context.Background(), []string{"create-org",
		"-name", "Acme Corp", "-seats", "25", "-starts", "2026-01-01", "-ends", "2026-12-31",
		"-admin-email", "IT@Acme.example", "-admin-first", "Ada", "-admin-last", "Lovelace"}, &out, &errOut)
	if err != nil {
		t.Fatalf("create-org: %v\n%s", err, errOut.String())
	}
	link := regexp.MustCompile(`https://portal\.example\.com/set-password#token=([A-Za-z0-9_-]+)`).FindStringSubmatch(out.String())
	if link == nil {
		t.Fatalf("no invite link in output:\n%s", out.String())
	}
	token := link[1]
	if !domain.ValidTokenShape(token) {
		t.Fatalf("invite token %q is not a 32-byte token", token)
	}
	if !strings.Contains(out.String(), "it@acme.example") {
		t.Errorf("output does not show the normalized admin email:\n%s", out.String())
	}
	// Only the hash is stored: the token item is found by hash, and the raw
	// token appears nowhere in it.
	res, err := client.GetItem(context.Background(), &dynamodb.GetItemInput{
		TableName: aws.String(table),
		Key: map[string]types.AttributeValue{
			"pk": &types.AttributeValueMemberS{Value: "TOKEN#" + domain.HashToken(token)},
			"sk": &types.AttributeValueMemberS{Value: "TOKEN"},
		},
	})
	if err != nil || res.Item == nil {
		t.Fatalf("no token item under the invite's hash (err %v)", err)
	}
	for name, v := range res.Item {
		if s, ok := v.(*types.AttributeValueMemberS); ok && strings.Contains(s.Value, token) {
			t.Errorf("token item attribute %s holds the raw token", name)
		}
	}
}

func TestCreateOrgRejectsBadInputAndWritesNothing(t *testing.T) {
	client, table := useTable(t)
	var out, errOut bytes.Buffer
	err := run(context.Background(), []string{"create-org",
		"-name", "Acme", "-seats", "0", "-starts", "2026-13-01", "-ends", "2026-12-31",
		"-admin-email", "not-an-email", "-admin-first", "Ada", "-admin-last", "Lovelace"}, &out, &errOut)
	if err == nil {
		t.Fatal("create-org accepted 0 seats, a bad date and a bad email")
	}
	for _, flag := range []string{"-seats", "-starts", "-admin-email"} {
		if !strings.Contains(err.Error(), flag) {
			t.Errorf("error does not name %s:\n%v", flag, err)
		}
	}
	res, err := client.Query(context.Background(), &dynamodb.QueryInput{
		TableName:              aws.String(table),
		KeyConditionExpression: aws.String("pk = :pk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": &types.AttributeValueMemberS{Value: "EMAIL#not-an-email"},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.Count != 0 {
		t.Errorf("rejected input wrote %d items", res.Count)
	}
}

func TestSeedIsIdempotent(t *testing.T) {
	useTable(t)
	for i, want := range []string{"Seeded", "exists already"} {
		var out, errOut bytes.Buffer
		if err := run(context.Background(), []string{"seed", "-password", "demo-admin-password"}, &out, &errOut); err != nil {
			t.Fatalf("seed #%d: %v", i+1, err)
		}
		if !strings.Contains(out.String(), want) {
			t.Errorf("seed #%d said %q, want it to say %q", i+1, out.String(), want)
		}
	}
}

func TestUnknownCommand(t *testing.T) {
	var out, errOut bytes.Buffer
	if err := run(context.Background(), []string{"drop-everything"}, &out, &errOut); err == nil {
		t.Fatal("an unknown command succeeded")
	}
	if !strings.Contains(errOut.String(), "usage:") {
		t.Errorf("no usage shown for an unknown command")
	}
}

func TestRebuildSearch(t *testing.T) {
	useTable(t)
	var out, errOut bytes.Buffer
	if err := run(context.Background(), []string{"seed", "-password", "demo-admin-password"}, &out, &errOut); err != nil {
		t.Fatalf("seed: %v", err)
	}
	orgID := regexp.MustCompile(`[a-z2-7]{26}`).FindString(out.String())
	if orgID == "" {
		t.Fatalf("seed did not print the organization's id: %q", out.String())
	}
	out.Reset()
	if err := run(context.Background(), []string{"rebuild-search", "-org", orgID}, &out, &errOut); err != nil {
		t.Fatalf("rebuild-search: %v", err)
	}
	if !strings.Contains(out.String(), "34 people") { // the demo admin and 33 learners
		t.Errorf("rebuild-search said %q, want it to count the demo's 34 people", out.String())
	}
	for _, bad := range [][]string{{"rebuild-search"}, {"rebuild-search", "-org", "../../x"}, {"rebuild-search", "-org", strings.Repeat("a", 26)}} {
		if err := run(context.Background(), bad, &out, &errOut); err == nil {
			t.Errorf("portalctl %v succeeded", bad)
		}
	}
}

func TestLoadCatalogIsIdempotentAndRefusesABadFile(t *testing.T) {
	client, table := useTable(t)
	ctx := context.Background()
	var out, errOut bytes.Buffer
	if err := run(ctx, []string{"load-catalog", "../../catalog/catalog.json"}, &out, &errOut); err != nil {
		t.Fatalf("load-catalog: %v\n%s", err, errOut.String())
	}
	if !regexp.MustCompile(`: \d{3} items; \d{3} added, 0 updated, 0 unchanged, 0 retired`).MatchString(out.String()) {
		t.Errorf("first load said %q, want every item added", out.String())
	}
	out.Reset()
	if err := run(ctx, []string{"load-catalog", "../../catalog/catalog.json"}, &out, &errOut); err != nil {
		t.Fatalf("load-catalog again: %v", err)
	}
	if !regexp.MustCompile(`0 added, 0 updated, \d{3} unchanged, 0 retired`).MatchString(out.String()) {
		t.Errorf("second load said %q, want everything unchanged", out.String())
	}

	bad := t.TempDir() + "/catalog.json"
	os.WriteFile(bad, []byte(`{"labs":[{"id":"lab-x","topic":"Networking","title":"X","minutes":0}]}`), 0o644)
	err := run(ctx, []string{"load-catalog", bad}, &out, &errOut)
	if err == nil || !strings.Contains(err.Error(), "labs[0].minutes") || !strings.Contains(err.Error(), "nothing was loaded") {
		t.Errorf("a bad file: %v; want it refused, naming labs[0].minutes", err)
	}
	res, err := client.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(table), Key: map[string]types.AttributeValue{
		"pk": &types.AttributeValueMemberS{Value: "CATALOG"}, "sk": &types.AttributeValueMemberS{Value: "ITEM#lab-x"},
	}})
	if err != nil || res.Item != nil {
		t.Errorf("the refused file's lab was written (%v)", err)
	}
}
