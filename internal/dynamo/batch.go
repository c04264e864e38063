package dynamo

import (
	"context"
	"fmt"
	"sync"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Limits of batches.
const (
	// batchWriteSize is the most items one BatchWriteItem takes (DynamoDB's limit).
	batchWriteSize = 25
	// batchGetSize is the most keys one BatchGetItem takes (DynamoDB's limit).
	batchGetSize = 100
	// batchWorkers is how many batches are in flight at once.
	batchWorkers = 8
)

// batchWrite writes up to 25 items, again with backoff for the ones DynamoDB
// leaves unprocessed.
func (s *Store) batchWrite(ctx context.Context, requests []types.WriteRequest) error {
	pending := map[string][]types.WriteRequest{s.table: requests}
	return retry(ctx, func() (bool, error) {
		out, err := s.client.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: pending})
		if err != nil {
			return false, fmt.Errorf("batch write: %w", err)
		}
		pending = out.UnprocessedItems
		if n := len(pending[s.table]); n > 0 {
			return true, fmt.Errorf("batch write: DynamoDB left %d items unprocessed", n)
		}
		return false, nil
	})
}

// batchGet reads up to 100 keys, again with backoff for the ones DynamoDB
// leaves unprocessed; missing items are left out.
func (s *Store) batchGet(ctx context.Context, keys []map[string]types.AttributeValue) ([]map[string]types.AttributeValue, error) {
	var found []map[string]types.AttributeValue
	request := map[string]types.KeysAndAttributes{s.table: {Keys: keys}}
	err := retry(ctx, func() (bool, error) {
		out, err := s.client.BatchGetItem(ctx, &dynamodb.BatchGetItemInput{RequestItems: request})
		if err != nil {
			return false, fmt.Errorf("batch get: %w", err)
		}
		found = append(found, out.Responses[s.table]...)
		request = out.UnprocessedKeys
		if n := len(request[s.table].Keys); n > 0 {
			return true, fmt.Errorf("batch get: DynamoDB left %d keys unprocessed", n)
		}
		return false, nil
	})
	if err != nil {
		return nil, err
	}
	return found, nil
}

// writeAll writes any number of items, 25 a BatchWriteItem, several batches
// at once. It is not atomic: after an error some items may be written.
func (s *Store) writeAll(ctx context.Context, requests []types.WriteRequest) error {
	return inBatches(ctx, len(requests), batchWriteSize, func(ctx context.Context, lo, hi int) error {
		return s.batchWrite(ctx, requests[lo:hi])
	})
}

// inBatches calls do for each batch [lo, hi) of n things, size at a time,
// with up to batchWorkers batches at once; the first error stops the rest.
func inBatches(ctx context.Context, n, size int, do func(ctx context.Context, lo, hi int) error) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	starts := make(chan int)
	var wg sync.WaitGroup
	for range min(batchWorkers, (n+size-1)/size) {
		wg.Go(func() {
			for lo := range starts {
				if err := do(ctx, lo, min(lo+size, n)); err != nil {
					cancel(err)
				}
			}
		})
	}
send:
	for lo := 0; lo < n; lo += size {
		select {
		case starts <- lo:
		case <-ctx.Done():
			break send
		}
	}
	close(starts)
	wg.Wait()
	return context.Cause(ctx)
}
