// Command invite-user is the Lambda function of POST /api/users.
package main

import (
	"log"

	"proportal/internal/app"
	"proportal/internal/httpapi"
	"proportal/internal/ses"
)

func main() {
	if err := app.RunLambda(httpapi.InviteUser, ses.FromConfig); err != nil {
		log.Fatal(err)
	}
}
