// Command run-export is the Lambda function of the RunExport job: it writes
// each queued export's workbook (excelize) into the reports bucket (S3).
// It is the only function that links excelize.
package main

import (
	"log"

	"proportal/internal/app"
	"proportal/internal/excel"
	"proportal/internal/s3"
	"proportal/internal/worker"
)

func main() {
	if err := app.RunJobWithFiles(worker.RunExport, s3.FromConfig, excel.Writer{}); err != nil {
		log.Fatal(err)
	}
}
