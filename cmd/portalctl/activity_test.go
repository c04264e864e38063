package main

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"proportal/internal/domain"
)

var keyPattern = regexp.MustCompile(`\n  (ppk_[A-Za-z0-9_-]{43})\n`)

// TestPlatformKeysArePrintedOnceAndStoredHashed: create prints a key, rotate
// a new one; only their hashes are stored.
func TestPlatformKeysArePrintedOnceAndStoredHashed(t *testing.T) {
	client, table := useTable(t)
	ctx := context.Background()
	var out, errOut bytes.Buffer
	if err := run(ctx, []string{"platform", "create", "Learning platform"}, &out, &errOut); err != nil {
		t.Fatalf("platform create: %v\n%s", err, errOut.String())
	}
	m := keyPattern.FindStringSubmatch(out.String())
	id := regexp.MustCompile(`\(([a-z2-7]{26})\)`).FindStringSubmatch(out.String())
	if m == nil || id == nil {
		t.Fatalf("no key or id in:\n%s", out.String())
	}
	first := m[1]
	out.Reset()
	if err := run(ctx, []string{"platform", "rotate", id[1]}, &out, &errOut); err != nil {
		t.Fatalf("platform rotate: %v\n%s", err, errOut.String())
	}
	m = keyPattern.FindStringSubmatch(out.String())
	if m == nil || m[1] == first {
		t.Fatalf("rotate printed no new key:\n%s", out.String())
	}
	for _, key := range []string{first, m[1]} {
		res, err := client.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(table), Key: map[string]types.AttributeValue{
			"pk": &types.AttributeValueMemberS{Value: "PLATFORMKEY#" + domain.HashPlatformKey(key)},
			"sk": &types.AttributeValueMemberS{Value: "KEY"},
		}})
		if err != nil || res.Item == nil {
			t.Errorf("the key %s… is not stored by its hash: %v", key[:8], err)
		}
		for name, v := range res.Item {
			if s, ok := v.(*types.AttributeValueMemberS); ok && strings.Contains(s.Value, key[4:]) {
				t.Errorf("attribute %s holds the key itself", name)
			}
		}
	}
	if err := run(ctx, []string{"platform", "rotate", domain.NewID()}, &out, &errOut); err == nil {
		t.Errorf("rotating an unknown platform succeeded")
	}
}

// TestReplayActivity sends generated activity for an organization directly;
// sending the same seed again gives only duplicates.
func TestReplayActivity(t *testing.T) {
	useTable(t)
	ctx := context.Background()
	var out, errOut bytes.Buffer
	if err := run(ctx, []string{"load-catalog", "../../catalog/catalog.json"}, &out, &errOut); err != nil {
		t.Fatalf("load-catalog: %v", err)
	}
	out.Reset()
	err := run(ctx, []string{"create-org", "-name", "Load Test", "-seats", "5", "-starts", "2026-01-01", "-ends", "2027-12-31",
		"-admin-email", "load@test.example", "-admin-first", "Lo", "-admin-last", "Ad"}, &out, &errOut)
	if err != nil {
		t.Fatalf("create-org: %v", err)
	}
	org := regexp.MustCompile(`\(([a-z2-7]{26})\)`).FindStringSubmatch(out.String())[1]
	// The organization was created now: one day of activity, back from now,
	// would start before it; -days 1 of the generator starts at midnight, so
	// some events may be refused as before_organization. Every event is
	// accounted for either way.
	out.Reset()
	if err := run(ctx, []string{"replay-activity", "-org", org, "-days", "1", "-users", "5", "-seed", "7"}, &out, &errOut); err != nil {
		t.Fatalf("replay-activity: %v\n%s", err, out.String())
	}
	got := regexp.MustCompile(`Sent (\d+) events .*: (\d+) accepted, (\d+) duplicates, (\d+) rejected`).FindStringSubmatch(out.String())
	if got == nil {
		t.Fatalf("no summary in:\n%s", out.String())
	}
	out.Reset()
	if err := run(ctx, []string{"replay-activity", "-org", org, "-days", "1", "-users", "5", "-seed", "7"}, &out, &errOut); err != nil {
		t.Fatalf("replay-activity again: %v", err)
	}
	if !strings.Contains(out.String(), " 0 accepted, "+got[2]+" duplicates") {
		t.Errorf("the same replay again: %s, want 0 accepted and %s duplicates", out.String(), got[2])
	}
	if err := run(ctx, []string{"replay-activity", "-org", "nope"}, &out, &errOut); err == nil {
		t.Errorf("replay-activity without an organization succeeded")
	}
}
