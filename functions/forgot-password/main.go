// Command forgot-password is the Lambda function of POST /api/auth/forgot-password.
package main

import (
	"log"

	"proportal/internal/app"
	"proportal/internal/httpapi"
	"proportal/internal/ses"
)

func main() {
	if err := app.RunLambda(httpapi.ForgotPassword, ses.FromConfig); err != nil {
		log.Fatal(err)
	}
}
