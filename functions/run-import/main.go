// Command run-import is the Lambda function of the RunImport job: it applies
// each queued import's rows, mails invites (SES) and writes the result file
// into the reports bucket (S3).
package main

import (
	"log"

	"proportal/internal/app"
	"proportal/internal/s3"
	"proportal/internal/ses"
	"proportal/internal/worker"
)

func main() {
	if err := app.RunImportJob(worker.RunImport, s3.FromConfig, ses.FromConfig); err != nil {
		log.Fatal(err)
	}
}
