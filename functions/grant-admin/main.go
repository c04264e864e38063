// Command grant-admin is the Lambda function of POST /api/users/{userId}/admin.
package main

import (
	"log"

	"proportal/internal/app"
	"proportal/internal/httpapi"
	"proportal/internal/ses"
)

func main() {
	if err := app.RunLambda(httpapi.GrantAdmin, ses.FromConfig); err != nil {
		log.Fatal(err)
	}
}
