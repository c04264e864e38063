// Command create-assignment is the Lambda function of POST /api/assignments.
package main

import (
	"log"
	_ "time/tzdata" // due dates are days in the organization's time zone

	"proportal/internal/app"
	"proportal/internal/httpapi"
)

func main() {
	if err := app.RunLambda(httpapi.CreateAssignment, nil); err != nil {
		log.Fatal(err)
	}
}
