package dynamo_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"

	"proportal/internal/domain"
)

func TestHitCountsPerScopeKeyAndWindow(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	const window = 1_970_000
	expires := time.Unix((window+1)*900, 0)
	keyA, keyB := domain.HashToken("login:a@x.com"), domain.HashToken("login:b@x.com")
	hits := []struct {
		name         string
		scope, key   string
		window       int64
		wantCountNow int
	}{
		{"first in the window", "login", keyA, window, 1},
		{"second in the window", "login", keyA, window, 2},
		{"third in the window", "login", keyA, window, 3},
		{"counted apart in the next window", "login", keyA, window + 1, 1},
		{"counted apart for another key", "login", keyB, window, 1},
		{"counted apart in another scope", "forgot-email", keyA, window, 1},
	}
	for _, h := range hits {
		got, err := e.store.Hit(ctx, h.scope, h.key, h.window, expires)
		if err != nil {
			t.Fatalf("%s: Hit: %v", h.name, err)
		}
		if got != h.wantCountNow {
			t.Errorf("%s: Hit = %d, want %d", h.name, got, h.wantCountNow)
		}
	}
}

func TestFailedLoginsExpire(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	key, window := domain.HashToken("login:a@x.com"), int64(1_970_000)
	expires := time.Unix((window+1)*900, 0)
	if _, err := e.store.Hit(ctx, "login", key, window, expires); err != nil {
		t.Fatalf("Hit: %v", err)
	}
	item := e.rawItem(t, "RATE#LOGIN#"+key, "WINDOW#"+strconv.FormatInt(window, 10))
	if item == nil {
		t.Fatal("no counter item under RATE#LOGIN#<key> / WINDOW#<window>")
	}
	var got struct {
		TTL int64 `dynamodbav:"ttl"`
	}
	if err := attributevalue.UnmarshalMap(item, &got); err != nil {
		t.Fatal(err)
	}
	// DynamoDB may drop the counter once it is of no use: some time after its window ends.
	if got.TTL < expires.Unix() {
		t.Errorf("counter ttl = %d, before the window ends at %d", got.TTL, expires.Unix())
	}
}
