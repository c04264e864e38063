// Command apply-import is the Lambda function of POST
// /api/imports/{importId}/apply: it sets a dry run going and queues it for
// the RunImport job (SQS).
package main

import (
	"log"

	"proportal/internal/app"
	"proportal/internal/httpapi"
	"proportal/internal/sqs"
)

func main() {
	if err := app.RunLambda(httpapi.ApplyImport, nil, sqs.FromConfig); err != nil {
		log.Fatal(err)
	}
}
