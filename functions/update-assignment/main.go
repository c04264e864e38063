// Command update-assignment is the Lambda function of PATCH /api/assignments/{assignmentId}.
package main

import (
	"log"
	_ "time/tzdata" // due dates are days in the organization's time zone

	"proportal/internal/app"
	"proportal/internal/httpapi"
)

func main() {
	if err := app.RunLambda(httpapi.UpdateAssignment, nil); err != nil {
		log.Fatal(err)
	}
}
