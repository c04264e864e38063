package dynamo

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"proportal/internal/domain"
)

// Learning platforms and their keys (docs/data-model.md, "Activity"): the
// platform's record, and one item per key that works, found by the key's
// hash. The key itself is never stored.

var _ domain.PlatformStore = (*Store)(nil)

type platformItem struct {
	key
	Type                 string    `dynamodbav:"type"`
	ID                   string    `dynamodbav:"id"`
	Name                 string    `dynamodbav:"name"`
	KeyHash              string    `dynamodbav:"keyHash"`
	PreviousKeyHash      string    `dynamodbav:"previousKeyHash,omitempty"`
	PreviousKeyExpiresAt time.Time `dynamodbav:"previousKeyExpiresAt,omitempty"`
	CreatedAt            time.Time `dynamodbav:"createdAt"`
	RotatedAt            time.Time `dynamodbav:"rotatedAt,omitempty"`
	Rev                  int       `dynamodbav:"rev"`
}

func toPlatformItem(p domain.Platform) platformItem {
	return platformItem{
		key: platformKey(p.ID), Type: "platform", ID: p.ID, Name: p.Name, KeyHash: p.KeyHash,
		PreviousKeyHash: p.PreviousKeyHash, PreviousKeyExpiresAt: p.PreviousKeyExpiresAt.UTC(),
		CreatedAt: p.CreatedAt.UTC(), RotatedAt: p.RotatedAt.UTC(), Rev: p.Revision,
	}
}

func (it platformItem) toDomain() domain.Platform {
	return domain.Platform{
		ID: it.ID, Name: it.Name, KeyHash: it.KeyHash, PreviousKeyHash: it.PreviousKeyHash,
		PreviousKeyExpiresAt: it.PreviousKeyExpiresAt, CreatedAt: it.CreatedAt, RotatedAt: it.RotatedAt, Revision: it.Rev,
	}
}

// platformKeyItem is one working key: its platform, and when it stops
// working (absent for the current key). ttl lets DynamoDB clean up a
// rotated-out key a week after it stopped; expiry is checked in code.
type platformKeyItem struct {
	key
	Type       string    `dynamodbav:"type"`
	PlatformID string    `dynamodbav:"platformId"`
	ExpiresAt  time.Time `dynamodbav:"expiresAt,omitempty"`
	TTL        int64     `dynamodbav:"ttl,omitempty"`
}

// CreatePlatform writes a platform and its key in one transaction.
func (s *Store) CreatePlatform(ctx context.Context, p domain.Platform) error {
	put, err := s.putNew(toPlatformItem(p))
	if err != nil {
		return err
	}
	keyPut, err := s.putNew(platformKeyItem{key: platformKeyKey(p.KeyHash), Type: "platformKey", PlatformID: p.ID})
	if err != nil {
		return err
	}
	exists := func(map[string]types.AttributeValue) error {
		return domain.Errorf(domain.CodeConflict, "The platform or its key exists already.")
	}
	if err := s.run(ctx, []write{{put, exists}, {keyPut, exists}}); err != nil {
		return fmt.Errorf("create platform %s: %w", p.ID, err)
	}
	return nil
}

// RotatePlatformKey writes the platform as after (on condition of before's
// revision), adds after's key, gives before's key its end, and deletes the key
// before that, in one transaction.
func (s *Store) RotatePlatformKey(ctx context.Context, before, after domain.Platform) error {
	cond := expression.Name("rev").Equal(expression.Value(before.Revision))
	put, err := s.put(toPlatformItem(after), &cond)
	if err != nil {
		return err
	}
	changed := func(map[string]types.AttributeValue) error {
		return domain.Errorf(domain.CodeConflict, "The platform changed meanwhile; try again.")
	}
	writes := []write{{put, changed}}
	newKey, err := s.put(platformKeyItem{key: platformKeyKey(after.KeyHash), Type: "platformKey", PlatformID: after.ID}, nil)
	if err != nil {
		return err
	}
	writes = append(writes, write{item: newKey})
	if before.KeyHash != after.KeyHash {
		old, err := s.put(platformKeyItem{
			key: platformKeyKey(before.KeyHash), Type: "platformKey", PlatformID: before.ID,
			ExpiresAt: after.PreviousKeyExpiresAt.UTC(), TTL: after.PreviousKeyExpiresAt.Add(7 * 24 * time.Hour).Unix(),
		}, nil)
		if err != nil {
			return err
		}
		writes = append(writes, write{item: old})
	}
	if before.PreviousKeyHash != "" && before.PreviousKeyHash != after.KeyHash && before.PreviousKeyHash != before.KeyHash {
		del, err := s.deleteItem(platformKeyKey(before.PreviousKeyHash), nil)
		if err != nil {
			return err
		}
		writes = append(writes, write{item: del})
	}
	if err := s.run(ctx, writes); err != nil {
		return fmt.Errorf("rotate the key of platform %s: %w", before.ID, err)
	}
	return nil
}

// FindPlatform returns a platform by id.
func (s *Store) FindPlatform(ctx context.Context, platformID string) (domain.Platform, error) {
	var it platformItem
	if err := s.get(ctx, platformKey(platformID), &it, "platform"); err != nil {
		return domain.Platform{}, err
	}
	return it.toDomain(), nil
}

// FindPlatformByKey returns the platform of a key hash and when the key
// stops working (zero while it is the current one). One GetItem.
func (s *Store) FindPlatformByKey(ctx context.Context, keyHash string) (string, time.Time, error) {
	var it platformKeyItem
	if err := s.get(ctx, platformKeyKey(keyHash), &it, "platform key"); err != nil {
		return "", time.Time{}, err
	}
	return it.PlatformID, it.ExpiresAt, nil
}
