// Command create-export is the Lambda function of POST /api/exports: it
// records an export and queues it for the RunExport job.
package main

import (
	"log"

	"proportal/internal/app"
	"proportal/internal/httpapi"
	"proportal/internal/sqs"
)

func main() {
	if err := app.RunLambda(httpapi.CreateExport, nil, sqs.FromConfig); err != nil {
		log.Fatal(err)
	}
}
