// Command send-password-reset is the Lambda function of POST /api/users/{userId}/password-reset.
package main

import (
	"log"

	"proportal/internal/app"
	"proportal/internal/httpapi"
	"proportal/internal/ses"
)

func main() {
	if err := app.RunLambda(httpapi.SendPasswordReset, ses.FromConfig); err != nil {
		log.Fatal(err)
	}
}
