console.log('users domain');
