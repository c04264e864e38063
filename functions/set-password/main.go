// Command set-password is the Lambda function of POST /api/auth/set-password.
package main

import (
	"log"

	"proportal/internal/app"
	"proportal/internal/httpapi"
	"proportal/internal/ses"
)

func main() {
	if err := app.RunLambda(httpapi.SetPassword, ses.FromConfig); err != nil {
		log.Fatal(err)
	}
}
