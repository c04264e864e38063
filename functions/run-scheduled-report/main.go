// Command run-scheduled-report is the Lambda function of the
// RunScheduledReport job: it makes each queued delivery's workbook
// (excelize) into the reports bucket (S3) and mails it (SES).
package main

import (
	"log"

	"proportal/internal/app"
	"proportal/internal/excel"
	"proportal/internal/s3"
	"proportal/internal/ses"
	"proportal/internal/worker"
)

func main() {
	if err := app.RunReportJob(worker.RunScheduledReport, s3.FromConfig, excel.Writer{}, ses.FromConfig); err != nil {
		log.Fatal(err)
	}
}
