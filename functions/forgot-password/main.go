// Command forgot-password is the Lambda function of POST /api/auth/forgot-password.
package main

import (
	"log"

	"proportal/internal/app"
	"proportal/internal/ses"
)

func main() {
	if err := app.RunLambda("ForgotPassword", ses.FromConfig); err != nil {
		log.Fatal(err)
	}
}
