// Command add-assignees is the Lambda function of POST /api/assignments/{assignmentId}/assignees.
package main

import (
	"log"
	_ "time/tzdata" // due dates are days in the organization's time zone

	"proportal/internal/app"
	"proportal/internal/httpapi"
)

func main() {
	if err := app.RunLambda(httpapi.AddAssignees, nil); err != nil {
		log.Fatal(err)
	}
}
