// Command resend-invite is the Lambda function of POST /api/users/{userId}/resend-invite.
package main

import (
	"log"

	"proportal/internal/app"
	"proportal/internal/httpapi"
	"proportal/internal/ses"
)

func main() {
	if err := app.RunLambda(httpapi.ResendInvite, ses.FromConfig); err != nil {
		log.Fatal(err)
	}
}
