// Command ingest-events is the Lambda function of POST /api/ingest/events:
// the learning platform's activity, authorized by its key.
package main

import (
	"log"

	"proportal/internal/app"
	"proportal/internal/httpapi"
)

func main() {
	if err := app.RunLambda(httpapi.IngestEvents, nil); err != nil {
		log.Fatal(err)
	}
}
