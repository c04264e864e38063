// Command activate-user is the Lambda function of POST /api/users/{userId}/activate.
package main

import (
	"log"

	"proportal/internal/app"
	"proportal/internal/httpapi"
	"proportal/internal/ses"
)

func main() {
	if err := app.RunLambda(httpapi.ActivateUser, ses.FromConfig); err != nil {
		log.Fatal(err)
	}
}
